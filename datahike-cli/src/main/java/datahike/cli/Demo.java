package datahike.cli;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.TxReport;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;

/** A short guided tour on an in-memory database, printing each step and its result. */
final class Demo {
  private Demo() {}

  static void run(PrintStream out) {
    Config cfg = Config.parse("{:store {:backend :memory :id \"demo-" + UUID.randomUUID() + "\"}}");
    out.println("datahike-java demo — an in-memory database: " + cfg);
    Datahike.createDatabase(cfg);
    try (Connection conn = Datahike.connect(cfg)) {
      String schema =
          "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one"
              + " :db/unique :db.unique/identity}\n"
              + " {:db/ident :age :db/valueType :db.type/long :db/cardinality"
              + " :db.cardinality/one}\n"
              + " {:db/ident :friend :db/valueType :db.type/ref :db/cardinality"
              + " :db.cardinality/many}]";
      step(out, "1. Schema", "conn.transact(" + schema + ")");
      conn.transact(schema);

      String data =
          "[{:db/id \"alice\" :name \"Alice\" :age 30}\n"
              + " {:db/id \"bob\" :name \"Bob\" :age 25 :friend \"alice\"}]";
      step(out, "2. Transact", "conn.transact(" + data + ")");
      TxReport r = conn.transact(data);
      out.println("   => tempids " + EdnPrinter.print(r.tempids()));
      long firstTx = r.tx();

      String q = "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]";
      step(out, "3. Query", "Datahike.q(\"" + q + "\", conn.db())");
      out.println("   => " + EdnPrinter.print(Datahike.q(q, conn.db())));

      String pattern = "[:name :age {:friend [:name]}]";
      step(out, "4. Pull", "conn.db().pull(\"" + pattern + "\", [:name \"Bob\"])");
      Object bob = List.of(Keyword.of("name"), "Bob");
      out.println("   => " + EdnPrinter.print(conn.db().pull(pattern, bob)));

      String update = "[{:db/id [:name \"Alice\"] :age 31}]";
      step(out, "5. Update", "conn.transact(" + update + ")");
      conn.transact(update);
      String ageQ = "[:find ?a . :where [?e :name \"Alice\"] [?e :age ?a]]";
      out.println("   => Alice's age now: " + EdnPrinter.print(Datahike.q(ageQ, conn.db())));

      step(out, "6. Time travel", "conn.db().asOf(" + firstTx + ")");
      Database then = conn.db().asOf(firstTx);
      out.println(
          "   => Alice's age as of tx "
              + firstTx
              + ": "
              + EdnPrinter.print(Datahike.q(ageQ, then)));
      String hq = "[:find ?a ?added :where [?e :name \"Alice\"] [?e :age ?a _ ?added]]";
      out.println(
          "   => history of her age: " + EdnPrinter.print(Datahike.q(hq, conn.db().history())));
    } finally {
      Datahike.deleteDatabase(cfg);
    }
  }

  private static void step(PrintStream out, String title, String code) {
    out.println();
    out.println(title);
    out.println("   " + code.replace("\n", "\n   "));
  }
}
