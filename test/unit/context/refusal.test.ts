// Every sample is a server's refusal as it was reported (issue threads) or as the server's source writes it;
// the project each came from is named beside it.
import * as assert from 'node:assert/strict';
import { learnedWindow, parseContextRefusal, type ContextRefusal } from '../../../src/context/refusal';
import { serverMessageFromBody } from '../../../src/api/serverMessage';

interface Sample {
  name: string;
  status?: number;
  body: string;
  expect: ContextRefusal;
  /** The numbers or the code are only in the JSON fields, not in the message. */
  needsBody?: true;
}

const j = (o: unknown) => JSON.stringify(o);

const samples: Sample[] = [
  {
    name: 'OpenAI: your messages resulted in (chathub-dev/chathub#126)',
    status: 400,
    body: '{"error":{"message":"This model\'s maximum context length is 4097 tokens. However, your messages resulted in 4294 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}',
    expect: { family: 'openai', window: 4097, promptTokens: 4294 },
  },
  {
    name: 'OpenAI: messages + completion, told apart from vLLM by its code (mckaywrigley/chatbot-ui#102)',
    status: 400,
    body: j({
      error: {
        message:
          "This model's maximum context length is 4097 tokens. However, you requested 4120 tokens (3120 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
    expect: { family: 'openai', window: 4097, promptTokens: 3120, completionTokens: 1000 },
  },
  {
    name: 'OpenAI: older completions wording (acheong08/ChatGPT#501)',
    status: 400,
    body: j({
      error: {
        message:
          "This model's maximum context length is 4097 tokens, however you requested 4116 tokens (1044 in your prompt; 3072 for the completion). Please reduce your prompt; or completion length.",
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    }),
    expect: { family: 'openai', window: 4097, promptTokens: 1044, completionTokens: 3072 },
  },
  {
    name: 'OpenAI / Azure GPT-5: configured limit (BerriAI/litellm#15968)',
    status: 400,
    body: j({
      error: {
        message:
          'Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 509178 tokens. Please reduce the length of the messages.',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    }),
    expect: { family: 'openai', window: 272000, promptTokens: 509178 },
  },
  {
    name: 'vLLM: messages and completion (vllm-project/vllm serving_engine.py)',
    status: 400,
    body: j({
      object: 'error',
      message:
        "This model's maximum context length is 4096 tokens. However, you requested 4296 tokens (3296 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    }),
    expect: { family: 'vllm', window: 4096, promptTokens: 3296, completionTokens: 1000 },
  },
  {
    name: 'vLLM: no max_tokens sent (vllm-project/vllm serving_engine.py)',
    status: 400,
    body: j({
      object: 'error',
      message:
        "This model's maximum context length is 4096 tokens. However, you requested 5120 tokens in the messages, Please reduce the length of the messages.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    }),
    expect: { family: 'vllm', window: 4096, promptTokens: 5120 },
  },
  {
    name: 'vLLM: newer input-tokens wording',
    status: 400,
    body: j({
      error: {
        message:
          "This model's maximum context length is 65536 tokens. However, your request has 65544 input tokens. Please reduce the length of the input messages.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    }),
    expect: { family: 'vllm', window: 65536, promptTokens: 65544 },
  },
  {
    name: "vLLM: 'max_tokens' too large",
    status: 400,
    body: '{"error":{"message":"\'max_tokens\' or \'max_completion_tokens\' is too large: 8000. This model\'s maximum context length is 4096 tokens and your request has 2778 input tokens (8000 > 4096 - 2778). None","type":"BadRequestError","param":null,"code":400}}',
    expect: { family: 'vllm', window: 4096, promptTokens: 2778, completionTokens: 8000 },
  },
  {
    name: 'DeepSeek (vLLM wording) (evalstate/fast-agent#621)',
    status: 400,
    body: j({
      error: {
        message:
          "This model's maximum context length is 131072 tokens. However, you requested 131134 tokens (122942 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.",
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    }),
    expect: { family: 'vllm', window: 131072, promptTokens: 122942, completionTokens: 8192 },
  },
  {
    name: 'llama.cpp: exceed_context_size_error with n_prompt_tokens and n_ctx',
    status: 400,
    body: '{"error":{"code":400,"message":"request (13392 tokens) exceeds the available context size (8192 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":13392,"n_ctx":8192}}',
    expect: { family: 'llama.cpp', window: 8192, promptTokens: 13392 },
  },
  {
    name: 'llama.cpp: the numbers only in the fields',
    status: 400,
    body: '{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}}',
    expect: { family: 'llama.cpp', window: 4096, promptTokens: 4476 },
    needsBody: true,
  },
  {
    name: 'llama.cpp: older message without numbers',
    status: 400,
    body: 'request exceeds the available context size. try increasing the context size or enable context shift',
    expect: { family: 'llama.cpp' },
  },
  {
    name: 'Ollama: exceeded max context length by N',
    status: 400,
    body: '{"StatusCode":400,"Status":"400 Bad Request","error":"prompt too long; exceeded max context length by 4 tokens"}',
    expect: { family: 'ollama', excess: 4 },
  },
  {
    name: 'Ollama: input length exceeds the context length',
    status: 400,
    body: '{"error":"the input length exceeds the context length"}',
    expect: { family: 'ollama' },
  },
  {
    name: 'LM Studio: keep the first N tokens (dyad-sh/dyad#925)',
    status: 400,
    body: j({
      error:
        'Trying to keep the first 14538 tokens when context the overflows. However, the model is loaded with context length of only 2048 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input',
    }),
    expect: { family: 'lmstudio', window: 2048, promptTokens: 14538 },
  },
  {
    name: 'LM Studio: shorter form without numbers',
    status: 400,
    body: j({ error: 'The number of tokens to keep from the initial prompt is greater than the context length' }),
    expect: { family: 'lmstudio' },
  },
  {
    name: 'LiteLLM: ContextWindowExceededError around Anthropic (OpenHands/OpenHands#5350)',
    status: 400,
    body: j({
      error: {
        message:
          'litellm.BadRequestError: litellm.ContextWindowExceededError: AnthropicError - {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 209303 tokens > 200000 maximum"}}\nReceived Model Group=anthropic/claude-3-5-sonnet-20241022\nAvailable Model Group Fallbacks=None',
        type: null,
        param: null,
        code: '400',
      },
    }),
    expect: { family: 'litellm', window: 200000, promptTokens: 209303 },
  },
  {
    name: 'LiteLLM: ContextWindowExceededError around vLLM',
    status: 400,
    body: j({
      error: {
        message:
          "litellm.ContextWindowExceededError: OpenAIException - Error code: 400 - {'error': {'message': \"This model's maximum context length is 32768 tokens. However, your request has 59360 input tokens. Please reduce the length of the input messages.\"}}",
        type: null,
        param: null,
        code: '400',
      },
    }),
    expect: { family: 'litellm', window: 32768, promptTokens: 59360 },
  },
  {
    name: 'Anthropic through a gateway: prompt is too long (OpenHands/OpenHands#4894)',
    status: 400,
    body: j({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'prompt is too long: 210543 tokens > 200000 maximum' },
    }),
    expect: { family: 'anthropic', window: 200000, promptTokens: 210543 },
  },
  {
    name: 'Anthropic through a gateway: input and max_tokens (BrokkAi/brokk-app#540)',
    status: 400,
    body: '{"error":{"message":"litellm.BadRequestError: AnthropicException - b\'{\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"invalid_request_error\\",\\"message\\":\\"input length and `max_tokens` exceed context limit: 179413 + 32768 > 200000, decrease input length or `max_tokens` and try again\\"}}\'. Received Model Group=anthropic/claude-sonnet-4-20250514\\nAvailable Model Group Fallbacks=None","type":null,"param":null,"code":"400"}}',
    expect: { family: 'anthropic', window: 200000, promptTokens: 179413, completionTokens: 32768 },
  },
  {
    name: 'Gemini OpenAI-compatible: input token count (BerriAI/litellm#18282)',
    status: 400,
    body: '[{"error":{"code":400,"message":"The input token count (2800010) exceeds the maximum number of tokens allowed (1048575).","status":"INVALID_ARGUMENT"}}]',
    expect: { family: 'gemini', window: 1048575, promptTokens: 2800010 },
  },
  {
    name: 'Gemini 2.5: without the input count (BerriAI/litellm#18282)',
    status: 400,
    body: '[{"error":{"code":400,"message":"The input token count exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}]',
    expect: { family: 'gemini', window: 1048576 },
  },
  {
    name: 'Mistral: too large for model with N maximum context length',
    status: 400,
    body: j({
      object: 'error',
      message: 'Prompt contains 300000 tokens, too large for model with 131072 maximum context length',
      type: 'invalid_request_error',
      param: null,
      code: null,
    }),
    expect: { family: 'mistral', window: 131072, promptTokens: 300000 },
  },
  {
    name: 'OpenRouter: endpoint maximum, text input and output (Aider-AI/aider#3721)',
    status: 400,
    body: j({
      error: {
        message:
          'This endpoint\'s maximum context length is 131072 tokens. However, you requested about 141607 tokens (10535 of text input, 131072 in the output). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.',
        code: 400,
        metadata: { provider_name: 'Chutes' },
      },
    }),
    expect: { family: 'openrouter', window: 131072, promptTokens: 10535, completionTokens: 131072 },
  },
  {
    name: 'OpenRouter: text input only (topoteretes/cognee#1061)',
    status: 400,
    body: '{"error":{"message":"This endpoint\'s maximum context length is 16384 tokens. However, you requested about 94307 tokens (94307 of text input). Please reduce the length of either one, or use the \\"middle-out\\" transform to compress your prompt automatically.","code":400,"metadata":{"provider_name":null}}}',
    expect: { family: 'openrouter', window: 16384, promptTokens: 94307 },
  },
  {
    name: 'Together: input longer than the context length',
    status: 400,
    body: j({
      error: {
        message: "The input (516368 tokens) is longer than the model's context length (262144 tokens).",
        type: 'invalid_request_error',
      },
    }),
    expect: { family: 'together', window: 262144, promptTokens: 516368 },
  },
  {
    name: 'a bare context_length_exceeded code',
    status: 400,
    body: '{"error":{"message":"refused","code":"context_length_exceeded"}}',
    expect: { family: 'openai' },
    needsBody: true,
  },
];

describe('context: refusal parsing, verbatim samples per server family', () => {
  for (const s of samples) {
    it(s.name, () => {
      assert.deepEqual(parseContextRefusal(s.status, s.body), s.expect);
      // The message alone (what the client extracts from the body) gives the same numbers, unless they are only
      // in the JSON fields.
      if (s.needsBody) return;
      const message = serverMessageFromBody(s.body, 'application/json');
      const fromMessage = parseContextRefusal(s.status, message);
      const { family: _f, ...numbers } = s.expect;
      assert.ok(fromMessage, `message ${message}`);
      const { family: _g, ...got } = fromMessage;
      assert.deepEqual(got, numbers);
    });
  }

  it('ignores other errors, rate limits on tokens included', () => {
    const others: [number | undefined, string][] = [
      [
        429,
        '{"error":{"message":"Rate limit reached for gpt-4 in organization org-x on tokens per min (TPM): Limit 10000, Used 9000, Requested 2000.","type":"tokens","code":"rate_limit_exceeded"}}',
      ],
      [400, 'ThrottlingException: Too many tokens, please wait before trying again.'],
      [401, '{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}'],
      [400, '{"error":{"message":"Unrecognized request argument supplied: stream_options"}}'],
      [400, '{"error":{"message":"temperature: Input should be less than or equal to 2"}}'],
      [500, '<html><head><title>502 Bad Gateway</title></head></html>'],
      [400, ''],
      [undefined, undefined as unknown as string],
      [404, "This model's maximum context length is 4096 tokens."],
    ];
    for (const [status, body] of others) assert.equal(parseContextRefusal(status, body), undefined, body);
  });

  it('reads a refusal that arrives inside a 200 stream (no status)', () => {
    assert.deepEqual(
      parseContextRefusal(
        undefined,
        'request (5000 tokens) exceeds the available context size (4096 tokens), try increasing it',
      ),
      { family: 'llama.cpp', window: 4096, promptTokens: 5000 },
    );
  });

  it('learns the stated window, or derives one below what was sent', () => {
    assert.deepEqual(learnedWindow({ family: 'vllm', window: 4096, promptTokens: 5000 }, { promptTokens: 4000 }), {
      window: 4096,
      estimated: false,
    });
    // Ollama: its own prompt count minus the excess; Bud's count when the server gives none.
    assert.deepEqual(learnedWindow({ family: 'ollama', excess: 904 }, { promptTokens: 5000 }), {
      window: 4096,
      estimated: true,
    });
    assert.deepEqual(learnedWindow({ family: 'ollama', excess: 1000, promptTokens: 5096 }, { promptTokens: 5000 }), {
      window: 4096,
      estimated: false,
    });
    // No number: 75% of what was sent (prompt + max_tokens), never below the minimum.
    assert.deepEqual(learnedWindow({ family: 'llama.cpp' }, { promptTokens: 6000, maxTokens: 2000 }), {
      window: 6000,
      estimated: true,
    });
    assert.deepEqual(learnedWindow({ family: 'unknown' }, { promptTokens: 100 }), { window: 512, estimated: true });
  });
});
