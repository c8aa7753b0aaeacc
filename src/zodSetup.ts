// Imported first by the extension's entry point, before any schema is built. zod decides whether it
// may compile object schemas with `new Function` by reading `navigator`, which VS Code's extension
// host reports as a pending migration error against the extension that first touches it. The host
// validates small inputs (webview messages, command arguments, `.reliability/` files on change), so
// interpreted schemas cost nothing noticeable; the CLI, which validates large files, keeps the compiler.
import { z } from 'zod';

z.config({ jitless: true });
