// Node's own dynamic import, for modules that must skip vitest's transform pipeline: a CommonJS
// file loaded with Node's require (createRequire), so `import()` here is Node's loader, which
// also runs modules with top-level await (require(esm) refuses those).
module.exports = (url) => import(url);
