// The widget's PBKDF2 solver, bundled as a worker script of our own origin: no blob: or data:
// worker (which the default `altcha` bundle would create) and so no CSP exception for one.
import "altcha/workers/pbkdf2";
