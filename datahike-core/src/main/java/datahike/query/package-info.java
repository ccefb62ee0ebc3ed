/**
 * The Datalog query engine. Internal: only {@link datahike.query.Query}, {@link
 * datahike.query.QueryOptions}, {@link datahike.query.QueryFunctions} and {@link
 * datahike.query.Aggregates} are reachable from other packages, and the public API is {@code
 * datahike}.
 *
 * <p>Flow: {@link datahike.query.QueryParser} turns a query form into a {@link
 * datahike.query.ParsedQuery} (cached by form); {@link datahike.query.Executor} evaluates the where
 * clauses over {@link datahike.query.Relation}s, choosing the next clause by estimated cardinality
 * at each step; {@link datahike.query.RuleEngine} evaluates rules bottom-up, semi-naively, with
 * demand seeds; {@link datahike.query.FindProcessor} turns the final relation into Datahike's
 * result shapes (aggregates and pull run there).
 */
package datahike.query;
