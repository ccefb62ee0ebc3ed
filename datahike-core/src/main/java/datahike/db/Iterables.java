package datahike.db;

import datahike.Datom;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/** Lazy filtering and merging of datom sequences. Internal. */
public final class Iterables {
  private Iterables() {}

  /** The datoms of {@code src} that satisfy {@code keep}, lazily. */
  public static Iterable<Datom> filter(Iterable<Datom> src, Predicate<Datom> keep) {
    return () ->
        new Iterator<>() {
          final Iterator<Datom> it = src.iterator();
          Datom next = advance();

          private Datom advance() {
            while (it.hasNext()) {
              Datom d = it.next();
              if (keep.test(d)) return d;
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public Datom next() {
            Datom d = next;
            if (d == null) throw new NoSuchElementException();
            next = advance();
            return d;
          }
        };
  }

  /** Two sorted sequences merged into one sorted sequence. */
  public static Iterable<Datom> merge(Iterable<Datom> a, Iterable<Datom> b, Comparator<Datom> cmp) {
    return () ->
        new Iterator<>() {
          final Iterator<Datom> ia = a.iterator();
          final Iterator<Datom> ib = b.iterator();
          Datom na = ia.hasNext() ? ia.next() : null;
          Datom nb = ib.hasNext() ? ib.next() : null;

          @Override
          public boolean hasNext() {
            return na != null || nb != null;
          }

          @Override
          public Datom next() {
            Datom out;
            if (na == null && nb == null) throw new NoSuchElementException();
            if (nb == null || (na != null && cmp.compare(na, nb) <= 0)) {
              out = na;
              na = ia.hasNext() ? ia.next() : null;
            } else {
              out = nb;
              nb = ib.hasNext() ? ib.next() : null;
            }
            return out;
          }
        };
  }
}
