// Runs before every unit spec; does something only in the jsdom environment of the dashboard's
// component specs (*.spec.tsx), whose jsdom lacks what React Router and Mantine expect of a browser.
if (typeof window !== 'undefined') {
  const { TextDecoder, TextEncoder } = require('node:util');
  globalThis.TextEncoder ??= TextEncoder;
  globalThis.TextDecoder ??= TextDecoder;
  // Nothing matches and nothing has a size: enough for Mantine's media queries and observers.
  window.matchMedia ??= (query) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  });
  window.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  window.HTMLElement.prototype.scrollIntoView ??= () => undefined;
}
