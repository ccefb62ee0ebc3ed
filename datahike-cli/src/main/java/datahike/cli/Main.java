package datahike.cli;

/** The {@code datahike} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("datahike");
  }
}
