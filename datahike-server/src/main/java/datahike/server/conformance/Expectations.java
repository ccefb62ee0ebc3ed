package datahike.server.conformance;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.server.client.RemoteTxReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A step's expectations checked against what the remote client answered: {@code :expect} by the
 * step's {@code :cmp} mode, and a transaction report's {@code :expect-tempids} and {@code
 * :expect-tx-data} (FORMAT.md). Returns null when they hold, else what differed. The same rules as
 * the core runner's.
 */
final class Expectations {
  private static final Keyword OP = Keyword.of("op");
  private static final Keyword EXPECT = Keyword.of("expect");
  private static final Keyword CMP = Keyword.of("cmp");
  private static final Keyword EXPECT_TEMPIDS = Keyword.of("expect-tempids");
  private static final Keyword EXPECT_TX_DATA = Keyword.of("expect-tx-data");
  private static final Keyword CURRENT_TX = Keyword.of("db/current-tx");
  private static final Keyword TX_INSTANT = Keyword.of("db/txInstant");
  private static final Symbol TX_SYM = Symbol.of("tx");

  private Expectations() {}

  static String checkReport(Map<?, ?> s, RemoteTxReport r, boolean attributeRefs) {
    Object et = s.get(EXPECT_TEMPIDS);
    if (et instanceof Map<?, ?> expected) {
      Map<Object, Object> actual = new LinkedHashMap<>();
      for (Map.Entry<Object, Long> en : r.tempids().entrySet()) {
        if (CURRENT_TX.equals(en.getKey()) && !expected.containsKey(CURRENT_TX)) continue;
        actual.put(Compare.normalize(en.getKey()), en.getValue());
      }
      Object exp = Compare.normalize(expected);
      if (!Compare.same(exp, actual)) {
        return "tempids: expected " + pr(exp) + ", got " + pr(actual);
      }
    }
    Object etd = s.get(EXPECT_TX_DATA);
    if (etd instanceof List<?> expected) {
      long tx = r.tx();
      boolean mentionsInstant =
          mentions(expected, TX_INSTANT) || (attributeRefs && mentionsAttr9(expected));
      List<Object> exp = new ArrayList<>();
      for (Object d : expected) exp.add(Compare.normalize(replaceTx(d, tx)));
      List<Object> act = new ArrayList<>();
      for (Datom d : r.txData()) {
        Object a = d.attr();
        boolean instant = TX_INSTANT.equals(a) || (attributeRefs && Long.valueOf(9).equals(a));
        if (instant && !mentionsInstant) continue;
        act.add(Compare.normalize(d));
      }
      boolean exact = Keyword.of("exact").equals(s.get(CMP));
      if (!Compare.datoms(exp, act, exact)) {
        return "tx-data: expected " + pr(exp) + ", got " + pr(act);
      }
    }
    return null;
  }

  static String check(Map<?, ?> s, Object result) {
    if (!s.containsKey(EXPECT)) return null;
    Object expected = Compare.normalize(s.get(EXPECT));
    Object actual = Compare.normalize(result);
    String op = ((Keyword) s.get(OP)).name();
    Object cmp = s.get(CMP);
    String mode = cmp instanceof Keyword k ? k.name() : null;
    boolean ok;
    if (op.equals("datoms") || op.equals("seek-datoms") || op.equals("index-range")) {
      if ("count".equals(mode)) {
        ok = actual instanceof Collection<?> ac && ((Number) expected).longValue() == ac.size();
      } else {
        ok =
            actual instanceof List<?> al
                && expected instanceof List<?> el
                && (mode == null || mode.equals("exact")
                    ? Compare.datoms(el, al, true)
                    : el.size() <= al.size() && Compare.datoms(el, al, false));
      }
    } else if (mode == null || mode.equals("exact")) {
      ok = Compare.same(expected, actual);
    } else if (mode.equals("set")) {
      ok =
          actual instanceof Collection<?> ac
              && expected instanceof Collection<?> ec
              && Compare.sameSet(ec, ac);
    } else if (mode.equals("bag")) {
      ok =
          actual instanceof Collection<?> ac
              && expected instanceof Collection<?> ec
              && Compare.sameBag(new ArrayList<>(ec), new ArrayList<>(ac));
    } else if (mode.equals("one-of")) {
      ok = false;
      for (Object e : (Collection<?>) expected) ok |= Compare.same(e, actual);
    } else if (mode.equals("count")) {
      ok = actual instanceof Collection<?> ac && ((Number) expected).longValue() == ac.size();
    } else {
      return "unknown :cmp " + mode;
    }
    return ok ? null : "expected " + pr(expected) + ", got " + pr(actual);
  }

  private static boolean mentions(Object o, Object x) {
    if (x.equals(o)) return true;
    if (o instanceof Collection<?> c) for (Object y : c) if (mentions(y, x)) return true;
    return false;
  }

  private static boolean mentionsAttr9(List<?> expected) {
    for (Object d : expected) {
      if (d instanceof List<?> l && l.size() > 1 && Long.valueOf(9).equals(l.get(1))) return true;
    }
    return false;
  }

  private static Object replaceTx(Object o, long tx) {
    if (TX_SYM.equals(o)) return tx;
    if (o instanceof List<?> l) {
      List<Object> r = new ArrayList<>();
      for (Object x : l) r.add(replaceTx(x, tx));
      return r;
    }
    return o;
  }

  private static String pr(Object o) {
    return RemoteConformance.pr(o);
  }
}
