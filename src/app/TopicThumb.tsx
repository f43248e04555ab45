import type { Scenario } from '../scenarios/schema';

type Topic = Scenario['topic'];

/**
 * A small drawing per topic for the gallery: the shape of the idea (a roofline, tiles, a causal
 * score matrix, a block map, worker lanes), in the shared colours, so cards are told apart at a glance.
 */
export function TopicThumb({ topic }: { topic: Topic }) {
  return (
    <svg className="thumb" viewBox="0 0 120 64" role="img" aria-label={`${topic} illustration`}>
      <rect width="120" height="64" rx="6" className="thumb-bg" />
      {draw(topic)}
    </svg>
  );
}

function draw(topic: Topic) {
  switch (topic) {
    case 'memory-wall':
    case 'device':
      return (
        <>
          <path d="M12 56 L58 16 L110 16" className="thumb-roof" />
          <circle cx="30" cy="41" r="4" className="thumb-hbm" />
          <circle cx="50" cy="24" r="4" className="thumb-compute" />
          {topic === 'device' ? <path d="M58 16 V56" className="thumb-dash" /> : null}
        </>
      );
    case 'tiling':
      return (
        <>
          {[0, 1, 2, 3].map((r) =>
            [0, 1, 2, 3, 4, 5].map((c) => (
              <rect
                key={`${r}-${c}`}
                x={14 + c * 16}
                y={6 + r * 13}
                width="14"
                height="11"
                className={r === 1 && c < 3 ? 'thumb-sram-fill' : c === 4 && r < 2 ? 'thumb-hbm-fill' : 'thumb-cell'}
              />
            )),
          )}
        </>
      );
    case 'attention':
      return (
        <>
          {Array.from({ length: 6 }, (_, r) =>
            Array.from({ length: 6 }, (_, c) => (
              <rect
                key={`${r}-${c}`}
                x={30 + c * 10}
                y={4 + r * 9.5}
                width="9"
                height="8.5"
                className={c > r ? 'thumb-idle' : r === 3 ? 'thumb-sram-fill' : 'thumb-compute-fill'}
              />
            )),
          )}
        </>
      );
    case 'kv-cache':
      return (
        <>
          {Array.from({ length: 24 }, (_, k) => {
            const owner = [0, 0, 1, 2, 2, 2, 1, 3, 0, 3, 3, 1, 2, 0, 4, 4, 1, 0, 4, 2, 3, 4, 0, 1][k];
            return <rect key={k} x={10 + (k % 8) * 13} y={8 + Math.floor(k / 8) * 17} width="11" height="14" rx="2" className={`thumb-owner-${owner}`} />;
          })}
        </>
      );
    case 'dataloader':
      return (
        <>
          {[0, 1, 2].map((w) => (
            <g key={w}>
              <rect x={12 + w * 8} y={8 + w * 12} width="40" height="8" className="thumb-compute-fill" />
              <rect x={58 + w * 6} y={8 + w * 12} width="28" height="8" className="thumb-compute-fill" />
            </g>
          ))}
          <rect x="12" y="48" width="20" height="8" className="thumb-idle" />
          <rect x="34" y="48" width="30" height="8" className="thumb-hbm-fill" />
          <rect x="66" y="48" width="12" height="8" className="thumb-idle" />
          <rect x="80" y="48" width="28" height="8" className="thumb-hbm-fill" />
        </>
      );
    case 'workbench':
      return (
        <>
          {[0, 1, 2, 3].map((l) => (
            <rect
              key={l}
              x={14 + (l % 2) * 10}
              y={10 + l * 11}
              width={[70, 50, 80, 40][l]}
              height="6"
              rx="2"
              className={l === 2 ? 'thumb-sram-fill' : 'thumb-cell'}
            />
          ))}
        </>
      );
    case 'end-to-end':
      return (
        <>
          <rect x="8" y="22" width="28" height="20" rx="3" className="thumb-hbm-fill" />
          <rect x="46" y="22" width="28" height="20" rx="3" className="thumb-compute-fill" />
          <path d="M84 52 L98 18 L114 18" className="thumb-roof" />
          <path d="M36 32 H46 M74 32 H84" className="thumb-dash" />
        </>
      );
  }
}
