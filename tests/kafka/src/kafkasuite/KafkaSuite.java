package kafkasuite;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Kafka-style broker coordination scenarios against a ZooKeeper service with Apache's
 * Java client.
 *
 * Usage: KafkaSuite --connect host:port[,host:port...] [--scenario name[,name...]]
 * Scenarios: registration, election, topics, notifications, expiry, pause (together:
 * standalone),
 * and ensemble (needs a driver on stdin that answers its AWAIT lines).
 *
 * Prints "PASS <property>" or "FAIL <property>: <detail>" per checked property, then a
 * SUMMARY line; exits 1 if any property failed or none was checked.
 */
public final class KafkaSuite {
  static final List<String> STANDALONE =
      List.of("registration", "election", "topics", "notifications", "expiry", "pause");

  private KafkaSuite() {}

  public static void main(String[] args) throws Exception {
    String connect = null;
    List<String> scenarios = new ArrayList<>(STANDALONE);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--connect" -> connect = args[i + 1];
        case "--scenario" -> {
          scenarios.clear();
          for (String s : args[i + 1].split(",")) {
            if (s.equals("standalone")) {
              scenarios.addAll(STANDALONE);
            } else {
              scenarios.add(s);
            }
          }
        }
        default -> usage("unknown option " + args[i]);
      }
    }
    if (connect == null) usage("--connect is required");

    BufferedReader driver =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // Each run gets fresh chroots, so reruns against one server never meet old state.
    String run = Long.toString(System.currentTimeMillis(), 36);
    Checks checks = new Checks();
    for (String s : scenarios) {
      checks.scope(s);
      String chroot = "kafka-" + s + "-" + run;
      long started = System.nanoTime();
      try {
        switch (s) {
          case "registration" -> MembershipScenarios.registration(checks, connect, chroot);
          case "election" -> MembershipScenarios.election(checks, connect, chroot);
          case "topics" -> TopicScenario.run(checks, connect, chroot);
          case "notifications" -> NotificationScenario.run(checks, connect, chroot);
          case "expiry" -> ExpiryScenario.run(checks, connect, chroot);
          case "pause" -> PauseScenario.run(checks, connect, chroot);
          case "ensemble" -> EnsembleScenario.run(checks, connect, chroot, driver);
          default -> usage("unknown scenario " + s);
        }
      } catch (Throwable t) {
        checks.error("scenario aborted", t);
      }
      System.out.printf("TIME %s %.1fs%n", s, (System.nanoTime() - started) / 1e9);
    }
    System.out.printf("SUMMARY passed=%d failed=%d%n", checks.passed(), checks.failed());
    System.out.flush();
    System.exit(checks.failed() == 0 && checks.passed() > 0 ? 0 : 1);
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: KafkaSuite --connect host:port[,...] [--scenario name[,...]]");
    System.exit(2);
  }
}
