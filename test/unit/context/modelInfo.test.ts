import * as assert from 'node:assert/strict';
import { parseModelLimits, tokenCount } from '../../../src/context/modelInfo';

describe('context: model limits from a /v1/models entry', () => {
  const cases: [string, unknown, number, string][] = [
    [
      'vLLM max_model_len',
      {
        id: 'Qwen/Qwen2.5-7B-Instruct',
        object: 'model',
        owned_by: 'vllm',
        root: 'Qwen/Qwen2.5-7B-Instruct',
        max_model_len: 32768,
      },
      32768,
      'max_model_len',
    ],
    [
      'OpenRouter / Together context_length',
      { id: 'meta-llama/llama-3.1-8b-instruct', context_length: 131072 },
      131072,
      'context_length',
    ],
    [
      'context_window',
      { id: 'llama-3.3-70b-versatile', object: 'model', context_window: 131072 },
      131072,
      'context_window',
    ],
    [
      'LiteLLM max_input_tokens',
      { id: 'gpt-4o', max_input_tokens: 128000, max_output_tokens: 16384 },
      128000,
      'max_input_tokens',
    ],
    [
      'LM Studio max_context_length',
      { id: 'qwen2.5-7b-instruct', type: 'llm', max_context_length: 32768 },
      32768,
      'max_context_length',
    ],
    [
      'LM Studio loaded_context_length before max_context_length',
      { id: 'q', max_context_length: 131072, loaded_context_length: 4096 },
      4096,
      'loaded_context_length',
    ],
    [
      'llama.cpp meta.n_ctx_train',
      {
        id: 'model.gguf',
        object: 'model',
        owned_by: 'llamacpp',
        meta: { vocab_type: 2, n_vocab: 152064, n_ctx_train: 32768, n_embd: 3584 },
      },
      32768,
      'meta.n_ctx_train',
    ],
    [
      'nested top_provider.context_length',
      { id: 'x/y', top_provider: { context_length: 65536, max_completion_tokens: 8192 } },
      65536,
      'top_provider.context_length',
    ],
    ['a numeric string', { id: 'm', max_model_len: '16384' }, 16384, 'max_model_len'],
  ];
  for (const [name, entry, window, field] of cases) {
    it(name, () => {
      const l = parseModelLimits(entry);
      assert.equal(l.contextWindow, window);
      assert.equal(l.contextField, field);
    });
  }

  it('reads the answer limit where a server states it', () => {
    assert.equal(
      parseModelLimits({ id: 'a', context_length: 200000, top_provider: { max_completion_tokens: 64000 } })
        .maxOutputTokens,
      64000,
    );
    assert.equal(
      parseModelLimits({ id: 'b', max_input_tokens: 128000, max_output_tokens: 16384 }).maxOutputTokens,
      16384,
    );
    assert.equal(parseModelLimits({ id: 'c', max_input_tokens: 128000, max_tokens: 4096 }).maxOutputTokens, 4096);
    assert.equal(parseModelLimits({ id: 'd', max_completion_tokens: 32768 }).maxOutputTokens, 32768);
    // max_tokens beside another window field is ambiguous: not read.
    assert.equal(parseModelLimits({ id: 'e', context_length: 8192, max_tokens: 4096 }).maxOutputTokens, undefined);
    // An answer limit as large as the window says nothing about the answer.
    assert.equal(
      parseModelLimits({ id: 'f', context_length: 131072, top_provider: { max_completion_tokens: 131072 } })
        .maxOutputTokens,
      undefined,
    );
  });

  it('ignores nulls, nonsense and absurd sizes, and falls through to the next field', () => {
    assert.deepEqual(parseModelLimits({ id: 'plain', object: 'model', owned_by: 'bud' }), {});
    assert.deepEqual(parseModelLimits(null), {});
    assert.deepEqual(parseModelLimits('gpt-4o'), {});
    assert.deepEqual(
      parseModelLimits({
        id: 'x',
        max_model_len: null,
        context_length: 'lots',
        context_window: -1,
        max_context_length: 1e12,
      }),
      {},
    );
    assert.equal(parseModelLimits({ id: 'x', max_model_len: 4096.5, context_length: 8192 }).contextWindow, 8192);
    assert.equal(parseModelLimits({ id: 'x', max_model_len: 0, meta: { n_ctx_train: 4096 } }).contextWindow, 4096);
    assert.equal(
      parseModelLimits({ id: 'x', context_length: 12 }).contextWindow,
      undefined,
      'too small to be a window',
    );
    assert.equal(parseModelLimits({ id: 'x', top_provider: null, meta: [] }).contextWindow, undefined);
  });

  it('tokenCount accepts integers and integer strings only', () => {
    assert.equal(tokenCount(4096), 4096);
    assert.equal(tokenCount(' 4096 '), 4096);
    assert.equal(tokenCount('4096.0'), 4096);
    for (const bad of ['4k', '', '1e4', NaN, Infinity, -5, 0, 2.5, true, {}, [4096]])
      assert.equal(tokenCount(bad), undefined, JSON.stringify(bad));
  });
});
