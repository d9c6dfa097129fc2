// DOMPurify configuration for model output. Model output is untrusted: no script, no styles, no forms or
// frames, links only to http/https/mailto, and nothing that loads a remote resource (a remote image is an
// exfiltration channel for prompt-injected output). Everything is sanitised into an inert document and
// post-processed there, before it is adopted into the webview's document.
import * as l10n from '@vscode/l10n';
import createDOMPurify from 'dompurify';
import type { Config } from 'dompurify';

const purify = createDOMPurify(window);

/** Classes our own output uses; any other class (which a model could use to mimic app UI) is dropped. */
const CLASS_OK = /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|[a-z]+_)$/;

purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class') {
    const kept = data.attrValue.split(/\s+/).filter((c) => CLASS_OK.test(c));
    if (kept.length === 0) data.keepAttr = false;
    else data.attrValue = kept.join(' ');
  }
});

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  USE_PROFILES: { html: true }, // no SVG / MathML
  FORBID_TAGS: [
    'style',
    'link',
    'meta',
    'base',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'option',
    'optgroup',
    'fieldset',
    'label',
    'output',
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'applet',
    'audio',
    'video',
    'source',
    'track',
    'picture',
    'map',
    'area',
    'canvas',
    'dialog',
    'template',
    'slot',
    'portal',
    'noscript',
    'svg',
    'math',
    'marquee',
  ],
  FORBID_ATTR: [
    'style',
    'id',
    'name',
    'target',
    'srcset',
    'sizes',
    'background',
    'poster',
    'ping',
    'download',
    'action',
    'formaction',
    'autofocus',
    'tabindex',
    'accesskey',
    'contenteditable',
    'draggable',
    'popover',
    'popovertarget',
    'popovertargetaction',
    'usemap',
    'ismap',
    'longdesc',
    'lowsrc',
    'dynsrc',
    'rel',
    'is',
  ],
  // Checkboxes of GFM task lists are re-created below (inputs are forbidden as such).
  ADD_ATTR: ['data-lang', 'data-bud-cb', 'data-bud-task', 'data-bud-b'],
  ALLOW_DATA_ATTR: false,
  // DOMPurify applies this to every attribute value that is not URI-safe, so scheme-less values (align="right",
  // data-lang="ts") must pass; any value with a scheme must be http(s)/mailto. Links are narrowed further below.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  SANITIZE_NAMED_PROPS: true,
  RETURN_DOM_FRAGMENT: true,
};

// Parsed once: passing the config to every sanitize() call rebuilds its allow-lists each time.
purify.setConfig(CONFIG);

const REMOTE_OK = /^https?:/i;
const LINK_OK = /^(?:https?:|mailto:)/i;
const DATA_IMAGE = /^data:image\//i;

/** Sanitises `html` into an inert fragment and neutralises what a config alone cannot (remote images). */
export function sanitizeToFragment(html: string): DocumentFragment {
  // A <frameset> document has no body: DOMPurify then returns nothing; show the source as text instead.
  const frag = (purify.sanitize(html) as unknown as DocumentFragment | null) ?? textFragment(html);
  for (const a of Array.from(frag.querySelectorAll('[href]'))) {
    if (!LINK_OK.test((a.getAttribute('href') ?? '').trim())) a.removeAttribute('href');
  }
  for (const img of Array.from(frag.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (DATA_IMAGE.test(src)) continue;
    img.replaceWith(remoteImageStandIn(img, src));
  }
  return frag;
}

function textFragment(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const p = document.createElement('p');
  p.textContent = text;
  frag.appendChild(p);
  return frag;
}

/** A remote (or unsafe) image becomes its alt text, linked to the image when the URL is http(s). */
function remoteImageStandIn(img: HTMLImageElement, src: string): Node {
  const doc = img.ownerDocument;
  const alt = (img.getAttribute('alt') ?? '').trim();
  if (REMOTE_OK.test(src)) {
    const a = doc.createElement('a');
    a.setAttribute('href', src);
    a.setAttribute('title', l10n.t('Image not loaded: {0}', src));
    a.textContent = alt || 'image';
    return a;
  }
  return doc.createTextNode(alt);
}
