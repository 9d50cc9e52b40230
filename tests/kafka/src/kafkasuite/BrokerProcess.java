package kafkasuite;

/**
 * One broker as a process of its own, so that it can be paused with SIGSTOP like a broker in a
 * long stop-the-world pause. Reports on stdout: "REGISTERED", "CONTROLLER" once it holds the
 * role, "EXPIRED" once told its session expired. Exits when stdin closes.
 *
 * Usage: BrokerProcess <connect> <broker id> <session timeout ms>
 */
public final class BrokerProcess {
  private BrokerProcess() {}

  public static void main(String[] args) throws Exception {
    Broker broker = Broker.start(Integer.parseInt(args[1]), args[0], Integer.parseInt(args[2]));
    say("REGISTERED");
    Thread reporter = new Thread(() -> {
      boolean controller = false;
      boolean expired = false;
      try {
        while (true) {
          Controller c = broker.controller;
          if (!controller && c != null && c.active) {
            controller = true;
            say("CONTROLLER");
          }
          if (!expired && broker.expiredEvents.get() > 0) {
            expired = true;
            say("EXPIRED");
          }
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "reporter");
    reporter.setDaemon(true);
    reporter.start();
    while (System.in.read() >= 0) {
      // Runs until the parent closes our stdin (or dies).
    }
    broker.close();
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
