package datahike.fuzz;

import datahike.Datom;
import datahike.codec.NodeCodec;
import datahike.codec.TxRecord;
import datahike.codec.TxRecordCodec;
import datahike.codec.ValueCodec;
import datahike.db.EdnTags;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.store.BlobFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes the committed seed corpus of the fuzz tests: text seeds taken from the shared conformance
 * cases (queries, query inputs, pull selectors, transaction data) plus a few hand-written EDN
 * forms, and binary seeds encoded from {@link FuzzDbs#WRITE} with the real codecs. Run by hand when
 * a format changes: {@code java -cp <test classpath> datahike.fuzz.SeedCorpus <shared/conformance>
 * <src/test/resources>}, then run the fuzz tests and move any seed that hits a known bug to {@code
 * bugs/} (see {@link KnownBugsTest}). The {@code *.dict} dictionaries beside the seeds are
 * hand-written. Not a test.
 */
final class SeedCorpus {
  private static final int MAX_PER_TARGET = 40;

  private SeedCorpus() {}

  public static void main(String[] args) throws IOException {
    Path conformance = Path.of(args[0]);
    Path out = Path.of(args[1]).resolve("datahike/fuzz");
    Set<String> queries = new LinkedHashSet<>();
    Set<String> inputs = new LinkedHashSet<>();
    Set<String> selectors = new LinkedHashSet<>();
    Set<String> txs = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(conformance)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".edn")).sorted().toList()) {
        for (Object c : (List<?>) EdnTags.read(Files.readString(f))) {
          collect((Map<?, ?>) c, queries, inputs, selectors, txs);
        }
      }
    }
    List<String> edn =
        List.of(
            "nil",
            "[1 2.5 3N 4.0M -0x1F 2r101 1/3 ##NaN ##-Inf]",
            "{:a/b \"s\\n\\u00e9\" :c \\newline, sym ns/sym}",
            "#{1 (2 3) [4 {5 6}]}",
            "#inst \"2020-01-01T10:20:30.123+02:00\"",
            "#uuid \"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"",
            "#bytes \"AQID\"",
            "#:person{:name \"A\" :_x 1}",
            "^:meta [#_ ignored kept] ; comment",
            "#datahike/Datom [1 :name \"Alice\" 536870913 true]",
            "#datom [2 :age 30]",
            "#custom/tag {:x [#\"re+\" \\u0041 \\o101]}");
    writeText(out.resolve("EdnFuzzTestInputs/read"), edn);
    writeText(out.resolve("EdnFuzzTestInputs/readWithTags"), edn);
    writeText(out.resolve("QueryFuzzTestInputs/query"), queries);
    writeText(out.resolve("QueryFuzzTestInputs/input"), inputs);
    writeText(out.resolve("PullFuzzTestInputs/pattern"), selectors);
    writeText(out.resolve("TxFuzzTestInputs/schemaOnWrite"), txs);
    writeText(out.resolve("TxFuzzTestInputs/schemaOnRead"), txs);
    writeBinary(out.resolve("DecoderFuzzTestInputs"));
  }

  private static void collect(
      Map<?, ?> c,
      Set<String> queries,
      Set<String> inputs,
      Set<String> selectors,
      Set<String> txs) {
    if (c.get(Keyword.of("tx")) instanceof List<?> l) {
      for (Object tx : l) {
        txs.add(EdnPrinter.print(tx));
      }
    }
    if (!(c.get(Keyword.of("steps")) instanceof List<?> steps)) {
      return;
    }
    for (Object o : steps) {
      Map<?, ?> s = (Map<?, ?>) o;
      Object op = s.get(Keyword.of("op"));
      if (op == Keyword.of("q")) {
        queries.add(EdnPrinter.print(s.get(Keyword.of("query"))));
        if (s.get(Keyword.of("args")) instanceof List<?> args) {
          for (Object a : args) {
            if (!Symbol.of("$").equals(a)) {
              inputs.add(EdnPrinter.print(a));
            }
          }
        }
      } else if (op == Keyword.of("pull") || op == Keyword.of("pull-many")) {
        selectors.add(EdnPrinter.print(s.get(Keyword.of("selector"))));
      } else if (op == Keyword.of("transact") || op == Keyword.of("with")) {
        txs.add(EdnPrinter.print(s.get(Keyword.of("tx"))));
      }
    }
  }

  /** Writes up to {@link #MAX_PER_TARGET} seeds, shortest first, as {@code seed-NN.edn}. */
  private static void writeText(Path dir, Collection<String> seeds) throws IOException {
    List<String> sorted = new ArrayList<>(seeds);
    sorted.sort((a, b) -> Integer.compare(a.length(), b.length()));
    // Keep the long tail too: take every k-th so that short and long seeds both appear.
    int step = Math.max(1, sorted.size() / MAX_PER_TARGET);
    Files.createDirectories(dir);
    int n = 0;
    for (int i = 0; i < sorted.size() && n < MAX_PER_TARGET; i += step) {
      byte[] bytes = sorted.get(i).getBytes(StandardCharsets.UTF_8);
      write(dir.resolve(String.format("seed-%02d.edn", n++)), bytes);
    }
  }

  private static void writeBinary(Path dir) throws IOException {
    List<Datom> datoms = new ArrayList<>(FuzzDbs.WRITE.datoms(Keyword.of("eavt")));
    Datom[] keys = datoms.toArray(new Datom[0]);
    byte[] leaf = NodeCodec.encodeLeaf(keys, 0, keys.length);
    byte[] branch =
        NodeCodec.encodeBranch(
            new Datom[] {keys[3], keys[keys.length - 1]},
            new String[] {"0190a1b2c3-node-1", "0190a1b2c3-node-22"},
            new long[] {4, keys.length - 4},
            2);
    write(dir.resolve("node/leaf.bin"), leaf);
    write(dir.resolve("node/leaf-empty.bin"), NodeCodec.encodeLeaf(keys, 0, 0));
    write(dir.resolve("node/branch.bin"), branch);
    Datom purged = keys[1].withOp(keys[1].tx(), false);
    byte[] record = TxRecordCodec.encode(new TxRecord(keys[0].tx(), 42, datoms, List.of(purged)));
    write(dir.resolve("txRecord/record.bin"), record);
    write(
        dir.resolve("txRecord/empty.bin"),
        TxRecordCodec.encode(new TxRecord(536870913L, 0, List.of(), List.of())));
    List<Object> values =
        List.of(
            "Alice",
            42L,
            -1L,
            Long.MIN_VALUE,
            1.5,
            2.5f,
            true,
            Keyword.of("a/b"),
            Symbol.of("?e"),
            UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
            new Date(0),
            BigInteger.TEN.pow(30),
            new BigDecimal("1.50"),
            new byte[] {1, 2, 3},
            'x',
            7,
            (short) 8,
            (byte) 9,
            List.of(1L, List.of("x", Keyword.of("k")), Set.of(2L), Map.of(Keyword.of("m"), 3L)),
            "x".repeat(100));
    int i = 0;
    for (Object v : values) {
      write(dir.resolve(String.format("value/value-%02d.bin", i++)), ValueCodec.encode(v));
    }
    write(dir.resolve("blobFrame/blob-leaf.bin"), BlobFrame.encode(BlobFrame.KIND_BLOB, leaf));
    write(dir.resolve("blobFrame/empty.bin"), BlobFrame.encode(BlobFrame.KIND_BLOB, new byte[0]));
    write(
        dir.resolve("blobFrame/head.bin"),
        BlobFrame.encode(BlobFrame.KIND_HEAD, new byte[] {0, 0, 0, 0, 0, 0, 0, 1, '{', '}'}));
    write(
        dir.resolve("blobFrame/log-group.bin"),
        BlobFrame.encode(
            BlobFrame.KIND_LOG_GROUP, new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
    write(
        dir.resolve("blobFrame/format.bin"),
        BlobFrame.encode(BlobFrame.KIND_FORMAT, "datahike-java".getBytes(StandardCharsets.UTF_8)));
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
