import { useEffect } from 'react';
import type { ScenarioIndex as Scenario } from '../scenarios';
import { navigate } from '../app/router';
import { allowedOrigins, heightMessage, readIncoming, targetOrigin } from './messaging';

/** Reports the widget's height to the parent page whenever it changes; answers the parent's few allowed requests. */
export function useEmbedMessaging(scenario: Scenario | undefined): void {
  useEffect(() => {
    if (window.parent === window) return;
    const parentOrigin = new URLSearchParams(window.location.search).get('parentOrigin');
    const target = targetOrigin(parentOrigin);
    const allowed = allowedOrigins(window.location.origin, parentOrigin);
    let last = -1;
    const post = (force = false) => {
      const h = document.documentElement.scrollHeight;
      if (!force && h === last) return;
      last = h;
      window.parent.postMessage(heightMessage(h, scenario?.id ?? null), target);
    };
    const ro = new ResizeObserver(() => post());
    ro.observe(document.body);
    post(true);
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.parent) return;
      const msg = readIncoming(e.origin, e.data, allowed);
      if (!msg) return;
      if (msg.type === 'request-height') post(true);
      else if (scenario && msg.step <= scenario.steps.length)
        navigate(`?scenario=${encodeURIComponent(scenario.id)}&step=${msg.step}`, 'push');
    };
    window.addEventListener('message', onMessage);
    return () => {
      ro.disconnect();
      window.removeEventListener('message', onMessage);
    };
  }, [scenario]);
}
