package datahike.bench;

import datahike.bench.People20k.Person;
import java.util.List;

/**
 * One system under test of the people20k workload. A harness prepares each write iteration untimed
 * and hands back a {@link WriteTrial} whose {@link WriteTrial#run()} is the timed body; for queries
 * it loads a database untimed and hands back one or more {@link QueryTarget}s.
 *
 * <p>Harnesses own their databases: everything a trial or target creates is released by its {@code
 * close()}.
 */
interface Harness extends AutoCloseable {
  /** The column name: {@code datahike}, {@code datomic}. */
  String name();

  /**
   * Why the harness cannot run {@code op} here (shown instead of a figure), or null when it can.
   * Datomic has no {@code init}; an API that has not landed yet is reported the same way.
   */
  String unsupported(Op op);

  /** Untimed setup of one iteration of the write {@code op} on {@code people}: a fresh db. */
  WriteTrial prepare(Op op, List<Person> people) throws Exception;

  /**
   * Loads {@code people} untimed (as {@code add-all}, in transactions of at most {@code batch}
   * entities) and returns the databases to query; the first has an empty suffix, others (such as
   * Datomic's unindexed {@code @novelty} db) name themselves.
   */
  List<QueryTarget> load(List<Person> people, int batch) throws Exception;

  /** Releases what the harness caches. */
  @Override
  void close();

  /** One prepared iteration of a write op. */
  interface WriteTrial extends AutoCloseable {
    /** The timed body. */
    void run() throws Exception;

    /** Untimed teardown: releases the iteration's database. */
    @Override
    void close();
  }

  /** A loaded database to query. */
  interface QueryTarget extends AutoCloseable {
    /** Appended to the op label in reports: empty, or {@code @novelty}. */
    String suffix();

    /** Parses {@code op}'s query once and returns the call that runs it on this db. */
    QueryCall compile(Op op) throws Exception;

    /** Bytes the database occupies on disk, or -1 for an in-memory database. */
    default long diskBytes() {
      return -1;
    }

    /** Releases the database. */
    @Override
    void close();
  }

  /** One query call: runs the query, materializes the result, returns its size. */
  @FunctionalInterface
  interface QueryCall {
    /** Runs the query once. */
    int run() throws Exception;
  }
}
