import type { Observation } from './rubric';

/**
 * Interview sessions: one per roadmap question (Months 1–6) plus the cross-month questions of
 * Month 7. Each is a guided path across labs: every rubric observation is something a strong
 * answer cites, the lab state that shows it (lab + parameters: the step opens it), and what to
 * pin there. Written in our own words from the roadmap's topics; test/interview/sessions.test.ts
 * checks every lab and parameter against the labs' schemas, so a session cannot point at a state
 * that does not exist.
 */
export interface SessionObservation extends Observation {
  /** What to do in that lab state before pinning ("Run, then pin the results table"). */
  how: string;
}

export interface InterviewSession {
  id: string;
  /** Roadmap month (7 = the cross-month synthesis questions). */
  month: number;
  title: string;
  question: string;
  /** Suggested answer time, for the optional timer. */
  minutes: number;
  /** Why interviewers ask it: the "why over what" the answer must reach. */
  why: string;
  rubric: SessionObservation[];
}

export const SESSIONS: InterviewSession[] = [
  {
    id: 'dataloader-40-percent',
    month: 2,
    title: 'GPU at 40%, dataloader maxed out',
    question: 'Your GPU utilization is at 40% but your dataloader is maxed out. How do you debug this?',
    minutes: 10,
    why: 'The GPU can only be as busy as the pipeline that feeds it: the answer should show the input pipeline, not the model, is the bottleneck, and which knob moves it.',
    rubric: [
      {
        id: 'zero-workers',
        text: 'With num_workers = 0 the main process loads every batch, and the GPU waits between steps (utilization far below 100%).',
        lab: 'dataloader',
        params: { mode: 'simulated', numWorkers: 0 },
        title: 'Pipeline measurements',
        how: 'Set workers to 0, run the simulation, pin the results table.',
      },
      {
        id: 'four-workers',
        text: 'With 4 workers loading in parallel and prefetching, the same step keeps the GPU busy far more of the time.',
        lab: 'dataloader',
        params: { mode: 'simulated', numWorkers: 4 },
        title: 'Pipeline measurements',
        how: 'Set workers to 4, run, pin the results table.',
      },
      {
        id: 'timeline',
        text: 'The timeline shows where the time goes: the GPU idles while a batch is still being decoded.',
        lab: 'dataloader',
        params: { mode: 'simulated', numWorkers: 0 },
        title: 'workers and GPU over time',
        kind: 'chart',
        how: 'With 0 workers, pin the pipeline timeline chart.',
      },
      {
        id: 'object-storage',
        text: 'Slow storage (object store latency) starves even many workers: the fix is prefetching or local caching, not more GPU.',
        lab: 'dataloader',
        params: { mode: 'simulated', storage: 'object' },
        title: 'Pipeline measurements',
        how: 'Switch storage to object, run, pin the results table.',
      },
    ],
  },
  {
    id: 'paged-attention-fragmentation',
    month: 4,
    title: 'Memory fragmentation in LLM serving',
    question: 'Explain the memory fragmentation problem in LLM serving and how PagedAttention solves it.',
    minutes: 10,
    why: 'Reserving each request’s maximum length wastes most of the KV cache; blocks handed out on demand waste almost none, so more requests fit in one batch.',
    rubric: [
      {
        id: 'waste',
        text: 'Memory wasted by contiguous reservation vs paged blocks on the same trace (reserved slots, internal and external fragmentation).',
        lab: 'kv-cache',
        params: { workload: 'chat' },
        title: 'Simulation:',
        how: 'Run the chat workload and pin the results table comparing paged and contiguous.',
      },
      {
        id: 'map',
        text: 'The memory map: contiguous reservations leave long empty runs; paged blocks pack tightly.',
        lab: 'kv-cache',
        params: { workload: 'chat' },
        title: 'Physical KV memory',
        kind: 'chart',
        how: 'Pin the memory-map chart.',
      },
      {
        id: 'block-size',
        text: 'Bigger blocks waste more in each request’s last block: block size trades table size against internal fragmentation.',
        lab: 'kv-cache',
        params: { blockSize: 64 },
        title: 'Simulation:',
        how: 'Set the block size to 64, run, pin the results table.',
      },
      {
        id: 'static-batching',
        text: 'A static batch waits for its longest request; continuous batching admits new requests every step.',
        lab: 'kv-cache',
        params: { batching: 'static' },
        title: 'Simulation:',
        how: 'Switch batching to static, run, pin the results table.',
      },
    ],
  },
  {
    id: 'custom-attention-kernel',
    month: 5,
    title: 'Why write a custom attention kernel?',
    question: 'Why would you write a custom CUDA kernel instead of using PyTorch’s attention implementation?',
    minutes: 12,
    why: 'Unfused attention is memory-bound: it writes and re-reads the N×N score matrix. A fused, tiled kernel keeps it on chip; the win is bytes, not FLOPs.',
    rubric: [
      {
        id: 'attention-bytes',
        text: 'Bytes moved by standard vs tiled attention at the same N and d: the tiled kernel never writes the N×N scores to global memory.',
        lab: 'attention',
        params: { n: 1024 },
        title: 'Attention, N =',
        how: 'Set N = 1024, run, pin the results table.',
      },
      {
        id: 'fusion',
        text: 'Fusing an elementwise epilogue cuts bytes per element from 28 to 12: memory-bound kernels speed up by about the traffic ratio.',
        lab: 'memory-wall',
        params: {},
        title: 'bias + GELU + residual',
        how: 'Run the memory-wall lab and pin the results table.',
      },
      {
        id: 'roofline',
        text: 'On the roofline the unfused kernels sit on the bandwidth slope, far below the compute roof.',
        lab: 'memory-wall',
        params: {},
        title: 'Roofline',
        kind: 'chart',
        how: 'Pin the roofline chart.',
      },
      {
        id: 'device-roofs',
        text: 'This device’s measured roofs (copy bandwidth and FMA throughput) and the ridge point between them.',
        lab: 'device',
        params: {},
        title: 'Measured ceilings',
        how: 'Run the device lab and pin the measured ceilings table.',
      },
    ],
  },
  {
    id: 'memory-wall-tiling',
    month: 5,
    title: 'The memory wall and tiling',
    question: 'What is the “memory wall” in GPU computing, and how do custom kernels get around it?',
    minutes: 10,
    why: 'Compute has outgrown memory bandwidth; kernels win by reusing each byte they load from DRAM many times from on-chip memory.',
    rubric: [
      {
        id: 'tiled',
        text: 'A workgroup-tiled matmul reads each element of A and B once per tile instead of once per output: global reads fall by the tile size.',
        lab: 'tiling',
        params: { variant: 'tiled' },
        title: 'This run',
        how: 'Choose the tiled variant, run, pin the results table.',
      },
      {
        id: 'register-blocked',
        text: 'Register blocking raises reuse again: bytes per FLOP fall further and the kernel moves toward the compute roof.',
        lab: 'tiling',
        params: { variant: 'register-blocked' },
        title: 'This run',
        how: 'Choose register-blocked, run, pin the results table.',
      },
      {
        id: 'roofs',
        text: 'The device’s measured bandwidth and compute roofs: where the ridge point lies on this GPU.',
        lab: 'device',
        params: {},
        title: 'Measured ceilings',
        how: 'Run the device lab and pin the ceilings table.',
      },
    ],
  },
];

export function findSession(id: string | null | undefined): InterviewSession | undefined {
  return SESSIONS.find((s) => s.id === id);
}
