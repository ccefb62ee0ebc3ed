/**
 * Internal: reliability drivers. Not public API; nothing here is stable for users.
 *
 * <p>{@link datahike.reliability.StressMain} runs the long modes of the reliability proofs (for
 * example thousands of kill-and-recover cycles against a file database); the short modes run in the
 * test suite. The crash workload ({@link datahike.reliability.CrashWriter}) runs in a child JVM
 * that the driver kills with SIGKILL; {@link datahike.reliability.CrashVerifier} then checks the
 * reopened database against what the child acknowledged.
 */
package datahike.reliability;
