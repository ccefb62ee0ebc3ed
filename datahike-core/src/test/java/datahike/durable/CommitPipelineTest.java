package datahike.durable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import datahike.store.Store;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commit pipeline on its own: transactions are strings, a record is the string's bytes, and
 * the store's append is scripted (it can block or fail).
 */
class CommitPipelineTest {
  private static final Duration BOUND = Duration.ofSeconds(20);

  private final ExecutorService pool = Executors.newCachedThreadPool();
  /** Every batch appended, in order. */
  private final List<List<String>> appended = Collections.synchronizedList(new ArrayList<>());
  /** Transactions in the order they were applied, and in the order they became durable. */
  private final List<String> applied = Collections.synchronizedList(new ArrayList<>());
  private final List<String> durable = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failures = new AtomicInteger();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** A store whose only used operation, append, runs {@code append} on the batch's strings. */
  private Store store(Function<List<String>, Long> append) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("append")) throw new UnsupportedOperationException();
              List<String> batch = new ArrayList<>();
              for (Object r : (List<?>) args[0]) batch.add(new String((byte[]) r, UTF_8));
              return append.apply(batch);
            });
  }

  /** A pipeline whose transactions starting with "bad" are rejected when applied. */
  private CommitPipeline[] pipeline(Function<List<String>, Long> append) {
    CommitPipeline[] p = new CommitPipeline[1];
    p[0] =
        new CommitPipeline(
            store(append),
            jobs -> {
              for (CommitPipeline.Job j : jobs) {
                String tx = (String) j.work;
                if (tx.startsWith("bad")) {
                  j.fail(new IllegalArgumentException("rejected " + tx));
                } else {
                  applied.add(tx);
                  j.applied(tx.getBytes(UTF_8), tx, tx);
                }
              }
              p[0].accept(jobs);
            },
            job -> durable.add((String) job.payload),
            failures::incrementAndGet);
    return p;
  }

  private Future<Object> submit(CommitPipeline p, String tx) {
    return pool.submit(
        () -> {
          CommitPipeline.Job j = p.job(tx);
          p.run(j);
          return j.result;
        });
  }

  private Function<List<String>, Long> recording() {
    long[] last = {0};
    return batch -> {
      appended.add(batch);
      synchronized (last) {
        last[0] += batch.size();
        return last[0];
      }
    };
  }

  /**
   * A recording pipeline whose appends of batches matching {@code hold} count down {@code syncing}
   * and then wait for {@code release}: a sync that takes as long as the test wants.
   */
  private CommitPipeline held(
      Predicate<List<String>> hold, CountDownLatch syncing, CountDownLatch release) {
    return recordingAfter(
        batch -> {
          if (hold.test(batch)) {
            syncing.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException("the appender was interrupted", e);
            }
          }
        });
  }

  /** A recording pipeline whose appends first run {@code before} on the batch (stall or fail). */
  private CommitPipeline recordingAfter(Consumer<List<String>> before) {
    Function<List<String>, Long> rec = recording();
    return pipeline(
        batch -> {
          before.accept(batch);
          return rec.apply(batch);
        })[0];
  }

  @Test
  void whileOneBatchSyncs_theNextTransactionsAreApplied_andBecomeDurableInOrder() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          CountDownLatch syncing = new CountDownLatch(1);
          CountDownLatch release = new CountDownLatch(1);
          CommitPipeline p = held(batch -> batch.contains("first"), syncing, release);
          Future<Object> first = submit(p, "first");
          syncing.await();
          List<Future<Object>> next = new ArrayList<>();
          for (int i = 0; i < 5; i++) next.add(submit(p, "tx" + i));
          // Applied while the first batch is still syncing: CPU and sync overlap.
          while (applied.size() < 6) Thread.sleep(1);
          assertThat(durable).isEmpty();
          release.countDown();
          assertThat(first.get()).isEqualTo("first");
          for (int i = 0; i < 5; i++) assertThat(next.get(i).get()).isEqualTo("tx" + i);
          assertThat(durable).isEqualTo(applied);
          List<String> inLog = new ArrayList<>();
          appended.forEach(inLog::addAll);
          assertThat(inLog).isEqualTo(applied);
          assertThat(appended.size()).as("the five shared syncs").isLessThanOrEqualTo(3);
          assertThat(p.stats()[1]).isEqualTo(6);
        });
  }

  @Test
  void aRejectedTransaction_failsOnlyItsOwnWriter() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          CommitPipeline p = pipeline(recording())[0];
          List<Future<Object>> fs = new ArrayList<>();
          for (int i = 0; i < 40; i++) fs.add(submit(p, (i % 5 == 2 ? "bad" : "ok") + i));
          for (int i = 0; i < 40; i++) {
            Future<Object> f = fs.get(i);
            if (i % 5 == 2) {
              assertThatThrownBy(f::get).hasRootCauseMessage("rejected bad" + i);
            } else {
              assertThat(f.get()).isEqualTo("ok" + i);
            }
          }
          assertThat(durable).hasSize(32).allMatch(s -> s.startsWith("ok")).isEqualTo(applied);
          assertThat(failures).hasValue(0);
        });
  }

  @Test
  void aFailedAppend_failsItsBatch_resetsTheState_andLaterTransactionsGoOn() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          CommitPipeline p =
              recordingAfter(
                  batch -> {
                    if (batch.contains("doomed")) throw new IllegalStateException("disk gone");
                  });
          assertThatThrownBy(() -> submit(p, "doomed").get()).hasRootCauseMessage("disk gone");
          assertThat(failures).hasValue(1);
          // The database resets its state and then says so; until then new records are refused.
          p.recovered();
          assertThat(submit(p, "after").get(5, TimeUnit.SECONDS)).isEqualTo("after");
          assertThat(durable).containsExactly("after");
        });
  }

  @Test
  void manyWriters_neverLoseAWakeUp_andTheLogIsTheApplyOrder() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          CommitPipeline p =
              recordingAfter(
                  batch -> {
                    // Syncs of varying length, so roles change hands at every possible moment.
                    if (batch.size() % 3 == 0) Thread.onSpinWait();
                    else if (batch.size() % 3 == 1) Thread.yield();
                    else LockSupport.parkNanos(20_000);
                  });
          int writers = 32;
          int each = 300;
          List<Future<?>> fs = new ArrayList<>();
          for (int w = 0; w < writers; w++) {
            int id = w;
            fs.add(
                pool.submit(
                    () -> {
                      for (int i = 0; i < each; i++) {
                        String tx = (i % 50 == 7 ? "bad" : "ok") + id + "-" + i;
                        CommitPipeline.Job j = p.job(tx);
                        try {
                          p.run(j);
                          assertThat(j.result).isEqualTo(tx);
                        } catch (IllegalArgumentException rejected) {
                          assertThat(tx).startsWith("bad");
                        }
                      }
                      return null;
                    }));
          }
          for (Future<?> f : fs) f.get();
          List<String> inLog = new ArrayList<>();
          appended.forEach(inLog::addAll);
          assertThat(inLog).hasSize(writers * (each - each / 50)).isEqualTo(applied);
          assertThat(durable).isEqualTo(applied);
          assertThat(p.idle()).isTrue();
          assertThat(p.stats()[1]).isEqualTo(inLog.size());
        });
  }

  @Test
  void anInterruptedWriter_stillWaitsForItsCommit_andKeepsItsInterruptFlag() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          CountDownLatch syncing = new CountDownLatch(1);
          CountDownLatch release = new CountDownLatch(1);
          CommitPipeline p = held(batch -> true, syncing, release);
          Future<Object> first = submit(p, "first");
          syncing.await();
          boolean[] flag = new boolean[1];
          Thread second =
              new Thread(
                  () -> {
                    CommitPipeline.Job j = p.job("second");
                    p.run(j);
                    flag[0] = Thread.currentThread().isInterrupted();
                  });
          second.start();
          while (applied.size() < 2) Thread.sleep(1);
          second.interrupt();
          Thread.sleep(20);
          assertThat(second.isAlive()).as("still waiting for its sync").isTrue();
          release.countDown();
          second.join();
          assertThat(first.get()).isEqualTo("first");
          assertThat(durable).containsExactly("first", "second");
          assertThat(flag[0]).isTrue();
        });
  }
}
