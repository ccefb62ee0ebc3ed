package datahike.bench;

class DatomicHarnessTest extends AbstractHarnessTest {
  @Override
  Harness create() {
    return new DatomicHarness();
  }
}
