import { beforeEach, describe, expect, it } from 'vitest';
import { applyParams } from '../../src/app/labState';
import { meta as deviceMeta } from '../../src/labs/device/meta';
import { defaults } from '../../src/labkit/schema';
import { appStore } from '../../src/store';

const notices = () => appStore.getState().notices.device ?? [];

describe('parameter notices in the store', () => {
  beforeEach(() => appStore.getState().setLabParams('device', defaults(deviceMeta.schema), []));

  it('clears a control’s notice once the user sets a valid value there', () => {
    applyParams(deviceMeta, { samples: '999' }, { keepNotices: true });
    expect(notices().map((n) => n.key)).toEqual(['samples']);
    applyParams(deviceMeta, { samples: '9' }, { keepNotices: true });
    expect(notices()).toEqual([]);
    expect(appStore.getState().params.device.samples).toBe(9);
  });

  it('keeps the notice of an untouched control while another one changes', () => {
    applyParams(deviceMeta, { samples: 'abc' }, { keepNotices: true });
    applyParams(deviceMeta, { copyMiB: '8' }, { keepNotices: true });
    expect(notices().map((n) => n.key)).toEqual(['samples']);
  });
});
