/**
 * Imported first by tests that need Ink's real terminal output (log-update redraws): with
 * CI=true Ink renders only the last frame, which is not what a technician's terminal gets.
 * It must run before `ink` is first loaded, which reads CI once.
 */
process.env['CI'] = 'false';
