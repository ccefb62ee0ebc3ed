package datahike.conformance;

/**
 * The outcome of one conformance case.
 *
 * @param id the case id
 * @param passed true when every step matched
 * @param step index of the failing step, or -1
 * @param message what differed (expected vs actual), or null
 */
public record CaseResult(String id, boolean passed, int step, String message) {}
