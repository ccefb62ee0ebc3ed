package datahike.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Connection;
import datahike.Datom;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte-level checks against what Datahike's {@code export-db} writes: {@code (clj-cbor.core/spit-all
 * path (map seq datoms))} with clj-cbor's default codec. The expected bytes are spelled out here
 * from that codec's rules (RFC 8949 heads; clj-cbor's tag 39 identifiers, tag 1 epoch seconds,
 * tag 37 UUIDs, tag 4 decimal fractions, tag 2/3 bignums, float16 for zero, NaN and infinities),
 * independently of {@link CborRecords}.
 */
class CborRecordsTest {
  @TempDir Path dir;

  static final long TX1 = 536870913L; // 1a 20000001
  static final long TX2 = 536870914L; // 1a 20000002

  static String text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return head(3, b.length) + HexFormat.of().formatHex(b);
  }

  static String head(int major, long n) {
    int m = major << 5;
    if (n < 24) return String.format("%02x", m | n);
    if (n < 0x100) return String.format("%02x%02x", m | 24, n);
    if (n < 0x10000) return String.format("%02x%04x", m | 25, n);
    return String.format("%02x%08x", m | 26, n);
  }

  /** clj-cbor: (str keyword) under tag 39 ("identifier"), d8 27. */
  static String kw(String s) {
    return "d827" + text(s);
  }

  static String record(String e, String a, String v, String tx, boolean added) {
    return "85" + e + a + v + tx + (added ? "f5" : "f4");
  }

  static Datom d(long e, String a, Object v, long tx, boolean added) {
    return new Datom(e, Datom.attrCode(Keyword.of(a)), v, tx, added);
  }

  @Test
  void exportDb_smallSample_isByteForByteWhatDatahikeWrites() throws Exception {
    String[][] attrs = {
      {"name", "string"}, {"v/bigdec", "bigdec"}, {"v/bigint", "bigint"}, {"v/bool", "boolean"},
      {"v/bytes", "bytes"}, {"v/double", "double"}, {"v/float", "float"}, {"v/kw", "keyword"},
      {"v/sym", "symbol"}, {"v/uuid", "uuid"}, {"v/tuple", "tuple"}, {"v/inst", "instant"}
    };
    List<Datom> load = new ArrayList<>();
    StringBuilder want = new StringBuilder();
    for (int i = 0; i < attrs.length; i++) {
      long e = i + 1;
      // Within one entity of one transaction: EAVT order, attributes by keyword.
      load.add(d(e, "db/cardinality", Keyword.of("db.cardinality/one"), TX1, true));
      load.add(d(e, "db/ident", Keyword.of(attrs[i][0]), TX1, true));
      if (attrs[i][1].equals("tuple")) {
        load.add(d(e, "db/tupleType", Keyword.of("db.type/long"), TX1, true));
      }
      load.add(d(e, "db/valueType", Keyword.of("db.type/" + attrs[i][1]), TX1, true));
      String ee = head(0, e);
      String tx = "1a20000001";
      want.append(record(ee, kw(":db/cardinality"), kw(":db.cardinality/one"), tx, true));
      want.append(record(ee, kw(":db/ident"), kw(":" + attrs[i][0]), tx, true));
      if (attrs[i][1].equals("tuple")) {
        want.append(record(ee, kw(":db/tupleType"), kw(":db.type/long"), tx, true));
      }
      want.append(record(ee, kw(":db/valueType"), kw(":db.type/" + attrs[i][1]), tx, true));
    }
    // The transaction entity: 2020-09-13T12:26:40Z is a whole second, so an integer: c1 1a 5f5e1000.
    load.add(d(TX1, "db/txInstant", new Date(1600000000000L), TX1, true));
    want.append(record("1a20000001", kw(":db/txInstant"), "c11a5f5e1000", "1a20000001", true));

    long e = 100; // 18 64
    Object[][] values = {
      {"name", "Ivan", text("Ivan")},
      {"v/bigdec", new BigDecimal("1.50"), "c482" + "21" + "1896"}, // [-2 150]
      {"v/bigint", BigInteger.ONE.shiftLeft(64), "c249010000000000000000"}, // 2^64: tag 2
      {"v/bool", false, "f4"},
      {"v/bytes", new byte[] {1, 2, 3}, "43010203"},
      {"v/double", 1.5, "fb3ff8000000000000"},
      {"v/float", 1.5f, "fa3fc00000"},
      {"v/inst", new Date(1600000000500L), "c1fb" + Long.toHexString(Double.doubleToLongBits(1600000000.5))},
      {"v/kw", Keyword.of("a/b"), kw(":a/b")},
      {"v/sym", Symbol.of("a/b"), "d827" + text("a/b")},
      {"v/tuple", List.of(1L, -1L, 1000L), "83" + "01" + "20" + "1903e8"},
      {"v/uuid", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"),
        "d82550" + "00112233445566778899aabbccddeeff"},
    };
    for (Object[] v : values) {
      load.add(d(e, (String) v[0], v[1], TX2, true));
      want.append(record("1864", kw(":" + v[0]), (String) v[2], "1a20000002", true));
    }
    load.add(d(TX2, "db/txInstant", new Date(1600000001000L), TX2, true));
    want.append(record("1a20000002", kw(":db/txInstant"), "c11a5f5e1001", "1a20000002", true));
    // A third transaction: a retraction (f4 in place of f5) and a float16 zero, in one entity.
    long tx3 = TX2 + 1;
    load.add(d(e, "v/double", 1.5, tx3, false));
    load.add(d(e, "v/double", 0.0, tx3, true));
    load.add(d(tx3, "db/txInstant", new Date(1600000002000L), tx3, true));
    want.append(record("1864", kw(":v/double"), "f90000", "1a20000003", true));
    want.append(record("1864", kw(":v/double"), "fb3ff8000000000000", "1a20000003", false));
    want.append(record("1a20000003", kw(":db/txInstant"), "c11a5f5e1002", "1a20000003", true));

    try (Connection conn = MigrateTest.fresh()) {
      conn.loadEntities(load);
      Path file = dir.resolve("sample.cbor");
      Migrate.exportDb(conn, file);
      assertThat(HexFormat.of().formatHex(Files.readAllBytes(file))).isEqualTo(want.toString());
    }
  }

  @Test
  void writer_numbersAtTheEdges_areWrittenAsCljCborDoes() throws Exception {
    Object[][] cases = {
      {0L, "00"}, {23L, "17"}, {24L, "1818"}, {255L, "18ff"}, {256L, "190100"},
      {65536L, "1a00010000"}, {4294967296L, "1b0000000100000000"}, {-1L, "20"}, {-25L, "3818"},
      {Long.MIN_VALUE, "3b7fffffffffffffff"},
      {BigInteger.valueOf(5), "05"}, // a bigint that fits is a plain integer
      {BigInteger.ONE.shiftLeft(63), "1b8000000000000000"},
      {BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), "1bffffffffffffffff"},
      {BigInteger.ONE.shiftLeft(64).negate(), "3bffffffffffffffff"},
      {BigInteger.ONE.shiftLeft(64).negate().subtract(BigInteger.ONE), "c349010000000000000000"},
      {0.0, "f90000"}, {-0.0, "f90000"}, {Double.NaN, "f97e00"},
      {Double.POSITIVE_INFINITY, "f97c00"}, {Float.NEGATIVE_INFINITY, "f9fc00"}, {0.0f, "f90000"},
      {new Date(0), "c100"}, {new Date(-1500), "c1fbbff8000000000000"},
      {new BigDecimal("-0.001"), "c482" + "22" + "20"},
      {"x".repeat(5000), "791388" + "78".repeat(5000)},
      {new ArrayList<>(java.util.Arrays.asList(null, true)), "82f6f5"},
    };
    for (Object[] c : cases) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (CborRecords.Writer w = new CborRecords.Writer(out)) {
        w.value(c[0]);
      }
      assertThat(HexFormat.of().formatHex(out.toByteArray())).as("%s", c[0]).isEqualTo(c[1]);
      try (CborRecords.Reader r =
          new CborRecords.Reader(
              new java.io.ByteArrayInputStream(
                  HexFormat.of().parseHex("8501" + kw(":a") + c[1] + "01f5")),
              "case")) {
        Object back = r.next().v();
        if (c[0] instanceof Float f && !Float.isFinite(f) || Float.valueOf(0f).equals(c[0])) {
          assertThat(back).isEqualTo((double) (float) c[0]); // float16 reads as Double
        } else if (c[0] instanceof Double x && x == 0.0) {
          assertThat(back).isEqualTo(0.0);
        } else if (c[0] instanceof BigInteger b && b.bitLength() < 64) {
          assertThat(back).isEqualTo(b.longValue());
        } else {
          assertThat(back).as("%s", c[0]).isEqualTo(c[0]);
        }
      }
    }
  }
}
