import { describe, expect, it } from 'vitest';
import { allowedOrigins, heightMessage, parseOrigin, readIncoming, targetOrigin } from '../../src/embed/messaging';

describe('embed postMessage protocol', () => {
  const self = 'https://play.example';
  const blog = 'https://blog.example';

  it('posts heights to the given parent origin, else to any parent (the message is public)', () => {
    expect(targetOrigin(blog)).toBe(blog);
    expect(targetOrigin(`${blog}/`)).toBe(blog);
    expect(targetOrigin(null)).toBe('*');
    expect(targetOrigin('*')).toBe('*');
    expect(targetOrigin('javascript:alert(1)')).toBe('*');
    expect(targetOrigin(`${blog}/post/1`)).toBe('*');
    expect(heightMessage(431.2, 'x')).toEqual({ type: 'gpu-playground:height', height: 432, scenario: 'x' });
  });

  it('accepts only origins that parse exactly', () => {
    expect(parseOrigin('https://blog.example:8443')).toBe('https://blog.example:8443');
    expect(parseOrigin('data:text/html,hi')).toBeNull();
    expect(parseOrigin('https://blog.example.evil.test@x.test')).toBeNull();
  });

  it('ignores messages from other origins and unknown shapes', () => {
    const allowed = allowedOrigins(self, blog);
    expect(allowed).toEqual([self, blog]);
    expect(readIncoming('https://evil.example', { type: 'gpu-playground:step', step: 2 }, allowed)).toBeNull();
    expect(readIncoming(blog, { type: 'gpu-playground:step', step: 2 }, allowed)).toEqual({ type: 'step', step: 2 });
    expect(readIncoming(blog, { type: 'gpu-playground:step', step: 1.5 }, allowed)).toBeNull();
    expect(readIncoming(blog, { type: 'gpu-playground:step', step: '2' }, allowed)).toBeNull();
    expect(readIncoming(blog, { type: 'gpu-playground:eval', code: 'alert(1)' }, allowed)).toBeNull();
    expect(readIncoming(blog, '<script>alert(1)</script>', allowed)).toBeNull();
    expect(readIncoming(self, { type: 'gpu-playground:request-height' }, allowed)).toEqual({ type: 'request-height' });
    expect(readIncoming(blog, { type: 'gpu-playground:request-height' }, allowedOrigins(self, null))).toBeNull();
  });
});
