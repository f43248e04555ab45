/** One request of a serving trace. Lengths are in tokens, times in seconds. */
export interface TraceRequest {
  arrival: number;
  /** Prompt tokens (the user's part; a shared system prompt is added on top when enabled). */
  prompt: number;
  /** Tokens this request actually generates before it stops (EOS). */
  output: number;
  /**
   * The output cap the client asked for (max_tokens). Systems without paging reserve
   * prompt + maxTokens slots up front, because they cannot know when generation stops.
   */
  maxTokens: number;
}

export type Allocator = 'paged' | 'contiguous';
export type Batching = 'continuous' | 'static';
export type Preemption = 'recompute' | 'swap';

export interface SimConfig {
  allocator: Allocator;
  /** Tokens per KV block; the contiguous baseline reserves whole blocks too, so the grids compare. */
  blockSize: number;
  /** Physical KV blocks on the GPU. */
  numBlocks: number;
  batching: Batching;
  preemption: Preemption;
  /** Tokens of a system prompt every request starts with (0 = none). Paged memory shares its full blocks. */
  systemPrompt: number;
  /** Parallel samples per request (n > 1 shares the prompt's blocks, copy-on-write). */
  n: number;
  /** Most sequences running at once (vLLM's max_num_seqs). */
  maxBatch: number;
  seed: number;
}

export const DEFAULT_MAX_BATCH = 256;
