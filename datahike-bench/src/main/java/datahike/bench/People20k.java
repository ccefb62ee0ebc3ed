package datahike.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The deterministic people20k data of PEOPLE20K.md section 2: the same persons in the same order as
 * the JS reference generator ({@code /work/shared/bench/people20k.js}) and every other harness.
 *
 * <p>{@link #generate(int)} with {@link #N} gives people20k itself; other sizes (the {@code scale}
 * suite) use the same seed and draw order, so their first persons before the shuffle agree.
 */
final class People20k {
  /** The seed of the data generator. */
  static final long SEED = 20240601L;

  /** The seed of the separate generator that orders the retractions of {@code retract-5}. */
  static final long RETRACT_SEED = 7L;

  /** Number of persons in people20k. */
  static final int N = 20_000;

  /** Datoms per person: name, last-name, sex, age, salary. */
  static final int ATTRS_PER_PERSON = 5;

  static final String[] NAMES = {
    "Ivan", "Petr", "Sergei", "Oleg", "Yuri", "Dmitry", "Fedor", "Denis"
  };
  static final String[] LAST_NAMES = {
    "Ivanov", "Petrov", "Sidorov", "Kovalev", "Kuznetsov", "Voronoi"
  };
  static final String[] SEXES = {"male", "female"};

  /** SHA-256 of the canonical TSV of people20k, from PEOPLE20K.md. */
  static final String EXPECTED_SHA256 =
      "70748adf13950bdfd9e1e603a310a555013c6d5b9a76a8a15b646ebec89db20a";

  /** The first three persons of people20k as TSV lines (without newline), from PEOPLE20K.md. */
  static final List<String> EXPECTED_FIRST3 =
      List.of(
          "15763\tYuri\tKuznetsov\tmale\t92\t64531",
          "12498\tIvan\tKovalev\tfemale\t74\t90595",
          "15071\tDmitry\tKuznetsov\tfemale\t65\t69359");

  /**
   * One person. {@code id} is both the string tempid ({@code "15763"}) and the numeric entity id
   * where an explicit one is needed; {@code sex} is the keyword name without the colon.
   */
  record Person(long id, String name, String lastName, String sex, long age, long salary) {
    /** The string tempid {@code :db/id "id"}. */
    String tempid() {
      return Long.toString(id);
    }

    /** The canonical TSV line, with the trailing newline. */
    String tsv() {
      return id + "\t" + name + "\t" + lastName + "\t" + sex + "\t" + age + "\t" + salary + "\n";
    }

    /** The EDN entity map, as the JS reference writes it. */
    String edn() {
      return "{:db/id \""
          + id
          + "\" :name \""
          + name
          + "\" :last-name \""
          + lastName
          + "\" :sex :"
          + sex
          + " :age "
          + age
          + " :salary "
          + salary
          + "}";
    }
  }

  private People20k() {}

  /** people20k: {@link #N} persons, shuffled. */
  static List<Person> generate() {
    return generate(N);
  }

  /** {@code n} persons drawn and shuffled as PEOPLE20K.md section 2 defines, ids 1..n. */
  static List<Person> generate(int n) {
    Lcg rng = new Lcg(SEED);
    Person[] ps = new Person[n];
    for (int i = 0; i < n; i++) {
      String name = NAMES[rng.randInt(NAMES.length)];
      String lastName = LAST_NAMES[rng.randInt(LAST_NAMES.length)];
      String sex = SEXES[rng.randInt(SEXES.length)];
      long age = rng.randInt(100);
      long salary = rng.randInt(100_000);
      ps[i] = new Person(i + 1, name, lastName, sex, age, salary);
    }
    rng.shuffle(ps);
    return List.of(ps);
  }

  /** The canonical TSV: one line per person, in list order. */
  static String tsv(List<Person> ps) {
    StringBuilder sb = new StringBuilder(ps.size() * 40);
    for (Person p : ps) {
      sb.append(p.tsv());
    }
    return sb.toString();
  }

  /** The EDN vector of entity maps, as the JS reference writes it. */
  static String edn(List<Person> ps) {
    StringBuilder sb = new StringBuilder(ps.size() * 100).append("[\n");
    for (Person p : ps) {
      sb.append(' ').append(p.edn()).append('\n');
    }
    return sb.append("]\n").toString();
  }

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code s}. */
  static String sha256(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The retraction order of {@code retract-5}: ids sorted ascending, shuffled with LCG(7). */
  static long[] retractOrder(long[] eids) {
    long[] a = eids.clone();
    Arrays.sort(a);
    new Lcg(RETRACT_SEED).shuffle(a);
    return a;
  }

  /** The result of checking the generated data against the values of PEOPLE20K.md. */
  record Check(String sha256, List<String> first3, int ivan, int ivanMale, int salaryOver50k) {
    /** True when checksum and first three persons match the reference. */
    boolean ok() {
      return EXPECTED_SHA256.equals(sha256) && EXPECTED_FIRST3.equals(first3);
    }

    /** A one-paragraph human-readable summary. */
    String describe() {
      return "people20k sha256(tsv)="
          + sha256
          + (EXPECTED_SHA256.equals(sha256)
              ? " (matches PEOPLE20K.md)"
              : " (MISMATCH, expected " + EXPECTED_SHA256 + ")")
          + "\nfirst 3: "
          + String.join(" | ", first3).replace('\t', ' ')
          + (EXPECTED_FIRST3.equals(first3) ? " (match)" : " (MISMATCH)")
          + "\nname=Ivan: "
          + ivan
          + "  name=Ivan&sex=male: "
          + ivanMale
          + "  salary>50000: "
          + salaryOver50k;
    }
  }

  /** Computes the check values of {@code ps} (people20k when it is {@link #generate()}). */
  static Check check(List<Person> ps) {
    List<String> first3 = new ArrayList<>();
    for (int i = 0; i < Math.min(3, ps.size()); i++) {
      String line = ps.get(i).tsv();
      first3.add(line.substring(0, line.length() - 1));
    }
    int ivan = 0;
    int ivanMale = 0;
    int rich = 0;
    for (Person p : ps) {
      if (p.name().equals("Ivan")) {
        ivan++;
        if (p.sex().equals("male")) {
          ivanMale++;
        }
      }
      if (p.salary() > 50_000) {
        rich++;
      }
    }
    return new Check(sha256(tsv(ps)), first3, ivan, ivanMale, rich);
  }

  /** Writes {@code people20k.edn} and {@code people20k.tsv} into {@code dir}, like the JS tool. */
  static void write(List<Person> ps, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("people20k.edn"), edn(ps), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("people20k.tsv"), tsv(ps), StandardCharsets.UTF_8);
  }
}
