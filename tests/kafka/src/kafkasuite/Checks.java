package kafkasuite;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Prints one line per checked property: "PASS <name>" or "FAIL <name>: <detail>".
 * A failed check does not stop the scenario; the runner's exit status reports it.
 */
final class Checks {
  private int passed;
  private int failed;
  private String scope = "";

  synchronized void scope(String name) {
    scope = name;
  }

  synchronized boolean check(String property, boolean ok, String detail) {
    String line = (scope.isEmpty() ? "" : scope + ": ") + property;
    if (ok) {
      passed++;
      System.out.println("PASS " + line);
    } else {
      failed++;
      System.out.println("FAIL " + line + ": " + detail);
    }
    System.out.flush();
    return ok;
  }

  boolean check(String property, boolean ok) {
    return check(property, ok, "does not hold");
  }

  boolean equal(String property, Object expected, Object actual) {
    return check(property, Objects.equals(expected, actual),
        "expected " + expected + ", got " + actual);
  }

  /** Waits for `condition` up to `timeoutMs`, then checks it once more. */
  boolean eventually(String property, long timeoutMs, BooleanSupplier condition)
      throws InterruptedException {
    return check(property, waitFor(timeoutMs, condition),
        "not true within " + timeoutMs + " ms");
  }

  static boolean waitFor(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) return false;
      Thread.sleep(20);
    }
    return true;
  }

  synchronized void error(String what, Throwable t) {
    failed++;
    System.out.println("FAIL " + (scope.isEmpty() ? "" : scope + ": ") + what + ": " + t);
    t.printStackTrace(System.out);
    System.out.flush();
  }

  synchronized int failed() {
    return failed;
  }

  synchronized int passed() {
    return passed;
  }
}
