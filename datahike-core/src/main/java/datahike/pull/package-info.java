/**
 * The pull API: patterns parsed into {@link datahike.pull.PullPattern} records and run on an
 * explicit stack by {@link datahike.pull.Pull}. Internal: not part of the public API.
 */
package datahike.pull;
