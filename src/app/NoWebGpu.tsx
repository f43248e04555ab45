import { LABS } from '../labs/registry';
import { useApp } from '../store';

/** Where WebGPU is missing: what is missing, how to get it, and what still works without it. */
export function NoWebGpu({ lab }: { lab?: string }) {
  const err = useApp((s) => s.gpuError);
  const simOnly = LABS.filter((l) => l.gpu !== 'required');
  return (
    <section className="no-webgpu" role="alert">
      <h2>{lab ? `${lab} needs WebGPU` : 'WebGPU is not available here'}</h2>
      <p>{err?.message ?? 'This browser did not provide a WebGPU device.'}</p>
      <h3>How to enable it</h3>
      <ul>
        <li>
          Chrome and Edge 113+ on Windows, macOS and ChromeOS have WebGPU on by default; on Linux and Android enable{' '}
          <code>chrome://flags/#enable-unsafe-webgpu</code> (and Vulkan) or use Chrome 121+ on Android 12+.
        </li>
        <li>
          Safari 26 (macOS, iOS, iPadOS) ships WebGPU; on older Safari turn on “WebGPU” under Develop → Feature Flags.
        </li>
        <li>
          Firefox 141+ on Windows has WebGPU; elsewhere set <code>dom.webgpu.enabled</code> in <code>about:config</code>{' '}
          (Nightly).
        </li>
        <li>
          WebGPU needs a secure page (https or localhost) and hardware acceleration switched on in the browser settings.
        </li>
      </ul>
      {simOnly.length ? (
        <>
          <h3>Still works without WebGPU</h3>
          <ul>
            {simOnly.map((l) => (
              <li key={l.id}>
                <a href={`?lab=${l.id}`}>{l.title}</a>: {l.summary}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
