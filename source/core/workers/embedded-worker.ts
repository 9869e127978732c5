/**
 * The worker thread's code as one script, when Sedai runs as the one-file executable: there is
 * no worker.js file beside it. scripts/bundle.ts replaces this module with the bundled worker;
 * everywhere else it stays undefined and workers start from their file.
 */
export const embeddedWorker: string | undefined = undefined;
