// The Content-Security-Policy sent with every app:// response. No 'unsafe-inline' and
// no 'unsafe-eval': React sets styles through the CSSOM, which style-src does not
// block, and the model engine evaluates expressions without eval.

const directives: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // Analysis runs in module Web Workers; blob: allows a worker built from a Blob URL.
  'worker-src': ["'self'", 'blob:'],
  'style-src': ["'self'"],
  // data:/blob: for chart PNGs and previews generated in the page.
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(directives)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};
