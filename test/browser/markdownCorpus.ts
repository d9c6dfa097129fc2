// Markdown documents for the streaming-equals-whole test. Each one exercises block boundaries that an
// incremental renderer can get wrong: lists that continue after blank lines, fences that span blank lines,
// tables, HTML blocks, setext headings, reference links defined after use, unclosed blocks at the end.
const FENCE = '```';

export const CORPUS: { name: string; text: string }[] = [
  {
    name: 'prose',
    text: `Bud Chat renders answers *as they stream*, with **bold**, _emphasis_, ~~strike~~ and \`code spans\`.

A second paragraph
wraps over several lines
without blank lines between them.

Line with a hard break  
and the next line. Auto link: https://example.com/path?q=1 and <https://bud.studio>.
`,
  },
  {
    name: 'headings',
    text: `# Title

## Section *one*

Setext heading
==============

Another one
-----------

### Deep \`code\` heading ###
Text right after a heading.
#### Four
##### Five
###### Six
####### not a heading
`,
  },
  {
    name: 'nested lists',
    text: `- one
- two
  - two a
  - two b
    1. deep one
    2. deep two
- three

1. first
2. second
   - inner
10. tenth

* star list
+ plus list
`,
  },
  {
    name: 'loose list continues after blank lines',
    text: `- item one

- item two

  continued paragraph in item two

- item three
1. ordered right after

2. second after blank

3. third
`,
  },
  {
    name: 'table',
    text: `| Name | Value | Notes |
|------|------:|:-----:|
| a | 1 | *x* |
| b | 22 | \`y\` |
| c | 333 | [link](https://example.com) |

Text after the table.

| single |
| --- |
| row |
Paragraph right after a table without a blank line.
`,
  },
  {
    name: 'fenced code, several languages',
    text: `Here is TypeScript:

${FENCE}ts
export function add(a: number, b: number): number {
  return a + b; // <b>not html</b>
}
${FENCE}

Python:

${FENCE}python
def greet(name):

    return f"hello {name}"
${FENCE}

JSON and bash:

${FENCE}json
{ "a": [1, 2, 3], "b": null }
${FENCE}
${FENCE}bash
npm run bench && echo "done" > /tmp/x
${FENCE}
And text right after a closed fence.
`,
  },
  {
    name: 'tilde fences and long fences',
    text: `~~~rust
fn main() {
    println!("\`\`\` inside tildes");
}
~~~

\`\`\`\`markdown
\`\`\`js
nested fence
\`\`\`
\`\`\`\`

~~~
plain, no language

with a blank line
~~~
`,
  },
  {
    name: 'blockquotes',
    text: `> A quote
> over two lines
>
> > nested quote
> > - with a list

> Second quote after a blank line
lazy continuation line

> ${FENCE}go
> package main
> ${FENCE}
`,
  },
  {
    name: 'html blocks',
    text: `<div class="note">
<b>raw html</b> in a block
</div>

<details>
<summary>Click</summary>

Hidden **markdown** inside details.

</details>

<!-- a comment

that spans blank lines -->

Inline <kbd>Ctrl</kbd>+<kbd>C</kbd> and <span style="color:red">styled</span> text.
`,
  },
  {
    name: 'reference links defined after use',
    text: `See [the docs][docs] and [Docs] and [collapsed][] and [missing][nope].

Some paragraph in between.

[docs]: https://example.com/docs "The docs"
[collapsed]: https://example.com/c

Later use of [docs] again.
`,
  },
  {
    name: 'reference links defined before use, duplicates',
    text: `[a]: https://a.example.com
[a]: https://second.example.com

Uses [a] and [b][].

[b]: <https://b.example.com/with space> 'title b'

- list mentions [a] too
> quote mentions [b]
`,
  },
  {
    name: 'links and images',
    text: `[http](http://example.com) [https](https://example.com) [mail](mailto:a@b.c) [js](javascript:alert(1)) [rel](./file.md)

![remote image](https://example.com/x.png) ![data image](data:image/png;base64,iVBORw0KGgo=) ![no alt](https://e.com/y.png)

<a href="https://example.com" target="_blank">target blank</a>
`,
  },
  {
    name: 'code spans and escapes',
    text: `Use \`\`a \` b\`\` or \`<script>\` or \\*not emphasis\\* and \\# not heading.

\`unclosed code span and *emphasis* after

Entities: &amp; &lt; &copy; &#x41;
`,
  },
  {
    name: 'indented code',
    text: `Paragraph first.

    indented code line 1

    indented code after blank
        deeper

Back to text.
`,
  },
  {
    name: 'horizontal rules and setext ambiguity',
    text: `Paragraph
---

***

- list
---

___
Text
===
`,
  },
  {
    name: 'task lists',
    text: `- [x] done item
- [ ] open item
  - [ ] nested open

1. [x] ordered done
`,
  },
  {
    name: 'list with code inside',
    text: `1. Install:

   ${FENCE}bash
   npm install

   npm test
   ${FENCE}

2. Run:
   ${FENCE}ts
   run();
   ${FENCE}
3. Done
`,
  },
  {
    name: 'unclosed fence at end',
    text: `Some text.

${FENCE}python
def unfinished():
    pass

# still inside the fence`,
  },
  {
    name: 'unclosed tilde fence and table at end',
    text: `| a | b |
|---|---|
| 1 | 2 |

~~~yaml
key: value
list:
  - a`,
  },
  {
    name: 'ordered list numbers split across pieces',
    text: `1. one

1. two

12. twelve
13. thirteen

100) paren list
101) next
`,
  },
  {
    name: 'no trailing newline, paragraph at end',
    text: `# Answer

The final sentence has no newline at the end`,
  },
  {
    name: 'mixed long answer',
    text: `## Plan

1. Read the file
2. Change the code:

${FENCE}diff
- old line
+ new line
${FENCE}

| Step | Time |
|------|------|
| lex  | 1 ms |

> **Note**: quotes, *lists* and \`code\` mix.

* a
* b

    code after list

Final words with a [ref] link.

[ref]: https://example.com/ref
`,
  },
  {
    name: 'windows line endings and tabs',
    text: 'Line one\r\nLine two\r\n\r\n-\titem with tab\r\n-\tsecond\r\n\r\n\tindented by tab\r\n',
  },
  {
    name: 'html that is not closed',
    text: `<div>
unclosed div

**bold after**

<span>inline open

</div>

Text.
`,
  },
  {
    name: 'emoji and unicode',
    text: `Emoji 😀👍🏽 and CJK 漢字 and RTL עברית.

- 🔥 fire
- ✅ check

\`\`\`text
ünïcödé 😀
\`\`\`
`,
  },
  {
    name: 'definition whose title continues on the next line',
    text: `Uses [t] before its definition.

[t]: https://example.com/t
'a title
over two lines'
Paragraph right after.

[u]: https://example.com/u
"not a title
Text [u].
`,
  },
];
