package datahike.durable;

import datahike.DatahikeException;
import datahike.db.DbValue;
import datahike.edn.EdnPrinter;
import datahike.edn.EdnReader;
import datahike.edn.Keyword;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The head of a stored database: which index roots hold its state, up to which transaction and
 * log record, and the settings it was created with. Written (as an EDN map, easy to inspect) only
 * after every node it names is durable; the log records after {@code logSeq} complete the state.
 *
 * @param format head format version
 * @param flags keep-history, attribute-refs, schema-on-read
 * @param maxTx the last transaction the roots include
 * @param maxEid the largest entity id the roots include
 * @param logSeq the last log record the roots include (0: none)
 * @param roots index name → [address, datom count]; address null for an empty tree
 * @param prevLogSeq the log sequence of the previous head
 * @param prevRoots the roots of the previous head: the store falls back to that head when the
 *     newest one is damaged, so its nodes and the log after it are kept until the next head
 * @param retired earlier heads with the time they were replaced: garbage collection keeps their
 *     nodes while they are younger than its cutoff, for readers still standing on them
 * @param initialSchema the schema map given at creation ({@code :schema} of the configuration),
 *     which lives in no entity and so must be kept here; null when none
 */
record HeadRecord(
    int format,
    DbValue.DbFlags flags,
    long maxTx,
    long maxEid,
    long logSeq,
    Map<String, Root> roots,
    long prevLogSeq,
    Map<String, Root> prevRoots,
    Map<?, ?> initialSchema,
    List<Retired> retired) {
  static final int FORMAT = 1;
  static final String[] TREES = {"eavt", "aevt", "avet", "teavt", "taevt", "tavet"};

  /** One stored tree root. */
  record Root(String address, long count) {}

  /** A replaced head: when it was replaced, and its roots. */
  record Retired(long at, Map<String, Root> roots) {}

  byte[] encode() {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("format"), (long) format);
    m.put(Keyword.of("keep-history?"), flags.keepHistory());
    m.put(Keyword.of("attribute-refs?"), flags.attributeRefs());
    m.put(Keyword.of("schema-flexibility"), Keyword.of(flags.schemaOnRead() ? "read" : "write"));
    m.put(Keyword.of("max-tx"), maxTx);
    m.put(Keyword.of("max-eid"), maxEid);
    m.put(Keyword.of("log-seq"), logSeq);
    Map<Keyword, Object> r = rootsMap(roots);
    m.put(Keyword.of("roots"), r);
    m.put(Keyword.of("prev-log-seq"), prevLogSeq);
    m.put(Keyword.of("prev-roots"), rootsMap(prevRoots));
    if (initialSchema != null) m.put(Keyword.of("initial-schema"), initialSchema);
    List<Object> ret = new java.util.ArrayList<>();
    for (Retired old : retired) ret.add(java.util.Arrays.asList(old.at(), rootsMap(old.roots())));
    m.put(Keyword.of("retired"), ret);
    return EdnPrinter.print(m).getBytes(StandardCharsets.UTF_8);
  }

  private static Map<Keyword, Object> rootsMap(Map<String, Root> roots) {
    Map<Keyword, Object> r = new LinkedHashMap<>();
    for (Map.Entry<String, Root> en : roots.entrySet()) {
      r.put(Keyword.of(en.getKey()), java.util.Arrays.asList(en.getValue().address(), en.getValue().count()));
    }
    return r;
  }

  private static Map<String, Root> roots(Object o) {
    Map<String, Root> roots = new LinkedHashMap<>();
    if (o instanceof Map<?, ?> r) {
      for (Map.Entry<?, ?> en : r.entrySet()) {
        List<?> l = (List<?>) en.getValue();
        roots.put(((Keyword) en.getKey()).name(), new Root((String) l.get(0), ((Number) l.get(1)).longValue()));
      }
    }
    return roots;
  }

  private static List<Retired> retired(Object o) {
    List<Retired> out = new java.util.ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        List<?> r = (List<?>) x;
        out.add(new Retired(((Number) r.get(0)).longValue(), roots(r.get(1))));
      }
    }
    return out;
  }

  static HeadRecord decode(byte[] bytes) {
    Object o;
    try {
      o = EdnReader.read(new String(bytes, StandardCharsets.UTF_8));
    } catch (DatahikeException e) {
      throw DatahikeException.of("store/corrupt", "The database head is not readable: " + e.getMessage(), e);
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw DatahikeException.of("store/corrupt", "The database head is not a map");
    }
    long format = num(m, "format");
    if (format > FORMAT) {
      throw DatahikeException.of(
          "store/too-new", "The database was written by a newer format (" + format + ")", "format", format);
    }
    DbValue.DbFlags flags =
        new DbValue.DbFlags(
            Boolean.TRUE.equals(m.get(Keyword.of("keep-history?"))),
            Boolean.TRUE.equals(m.get(Keyword.of("attribute-refs?"))),
            Keyword.of("read").equals(m.get(Keyword.of("schema-flexibility"))));
    Object prevSeq = m.get(Keyword.of("prev-log-seq"));
    return new HeadRecord(
        (int) format,
        flags,
        num(m, "max-tx"),
        num(m, "max-eid"),
        num(m, "log-seq"),
        roots(m.get(Keyword.of("roots"))),
        prevSeq instanceof Number n ? n.longValue() : 0,
        roots(m.get(Keyword.of("prev-roots"))),
        m.get(Keyword.of("initial-schema")) instanceof Map<?, ?> is ? is : null,
        retired(m.get(Keyword.of("retired"))));
  }

  private static long num(Map<?, ?> m, String k) {
    Object v = m.get(Keyword.of(k));
    if (!(v instanceof Number n)) {
      throw DatahikeException.of("store/corrupt", "The database head lacks " + k, "key", k);
    }
    return n.longValue();
  }
}
