package datahike.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class People20kTest {
  @Test
  void generate_matchesReferenceChecksumAndFirstPersons() {
    People20k.Check c = People20k.check(People20k.generate());
    assertThat(c.sha256()).isEqualTo(People20k.EXPECTED_SHA256);
    assertThat(c.first3()).isEqualTo(People20k.EXPECTED_FIRST3);
    assertThat(c.ok()).isTrue();
  }

  @Test
  void check_countsMatchExpectedResultSizes() {
    People20k.Check c = People20k.check(People20k.generate());
    assertThat(Op.Q1.expectedRows(c)).isEqualTo(2440);
    assertThat(Op.Q2_SWITCH.expectedRows(c)).isEqualTo(2440);
    assertThat(Op.Q4.expectedRows(c)).isEqualTo(1216);
    assertThat(Op.QPRED2.expectedRows(c)).isEqualTo(9915);
    assertThat(Op.ADD_1.expectedRows(c)).isEqualTo(-1);
  }

  @Test
  void lcg_matchesJsReference() {
    // node: const r = new Lcg(20240601); r.next(), r.next(), r.randInt(100000)
    Lcg r = new Lcg(People20k.SEED);
    assertThat(r.next()).isEqualTo(2276813924L);
    assertThat(r.next()).isEqualTo(4288236659L);
    assertThat(r.randInt(100_000)).isEqualTo(76136);
  }

  @Test
  void retractOrder_sortsThenShufflesLikeJsReference() {
    // node: retractOrder of 17592186045418 + 3i for i = 20000 down to 1
    long[] ids =
        LongStream.rangeClosed(1, 20_000).map(i -> 17592186045418L + (20_001 - i) * 3).toArray();
    long[] order = People20k.retractOrder(ids);
    assertThat(order)
        .startsWith(
            17592186102238L, 17592186097339L, 17592186082816L, 17592186101083L, 17592186091303L);
    assertThat(order[19_999]).isEqualTo(17592186059746L);
    assertThat(ids[0]).isEqualTo(17592186105418L); // input untouched
  }

  @Test
  void edn_writesEntityMapsLikeJsReference() {
    List<People20k.Person> ps = People20k.generate().subList(0, 1);
    assertThat(People20k.edn(ps))
        .isEqualTo(
            "[\n {:db/id \"15763\" :name \"Yuri\" :last-name \"Kuznetsov\" :sex :male :age 92"
                + " :salary 64531}\n]\n");
  }

  @Test
  void generate_otherSizeKeepsIdsOneToN() {
    List<People20k.Person> ps = People20k.generate(1000);
    assertThat(ps).hasSize(1000);
    assertThat(ps.stream().mapToLong(People20k.Person::id).sorted().toArray())
        .isEqualTo(LongStream.rangeClosed(1, 1000).toArray());
  }
}
