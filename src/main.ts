// V8's heap settings must be in place before the application's modules are even parsed (ESM
// parses the whole static import graph before running any of it), hence the dynamic import.
import './v8-tuning.js';

await import('./bootstrap.js');
