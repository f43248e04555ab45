import { readdirSync } from 'node:fs';
import { it } from 'vitest';
import { ClaimBook } from '../helpers/claimBook';
import { SESSIONS } from '../../src/interview/sessions';
it('x', () => {
  let n = 0;
  for (const f of readdirSync('scenarios').filter((x) => x.endsWith('.json'))) {
    const u = ClaimBook.scenario(f.replace('.json', '')).unheld();
    n += u.length;
    console.log('U', f, u.length, u.map((x) => `${x.field}:${x.figure}`).join(' | '));
  }
  for (const s of SESSIONS) {
    const u = ClaimBook.session(s.id).unheld();
    n += u.length;
    console.log('U', s.id, u.length, u.map((x) => `${x.field}:${x.figure}`).join(' | '));
  }
  console.log('U total', n);
});
