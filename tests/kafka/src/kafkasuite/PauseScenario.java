package kafkasuite;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The controller runs in its own process and is frozen with SIGSTOP past its session timeout,
 * as in a long GC pause; when it resumes it must learn its session expired.
 */
final class PauseScenario {
  static final int SHORT_SESSION_MS = 4_000;
  static final long LINE_TIMEOUT_MS = 30_000;

  private PauseScenario() {}

  static void run(Checks c, String hosts, String name) throws Exception {
    try (Cluster cl = Cluster.create(hosts, name, 10_000)) {
      Process proc = startBrokerProcess(cl.connect, 1);
      BlockingQueue<String> lines = readLines(proc);
      try {
        c.equal("the broker process registers", "REGISTERED", next(lines));
        c.equal("the broker process becomes controller", "CONTROLLER", next(lines));
        List<Broker> survivors = new ArrayList<>(cl.startTogether(2, 3));
        cl.createTopic("clicks", ExpiryScenario.METRICS);
        c.eventually("the controller creates the topic's partition states", 20_000,
            () -> cl.topicReady("clicks", 3));

        long timeout = 6L * SHORT_SESSION_MS + 10_000;
        Broker next = Failover.run(c, cl, 1, survivors, timeout, () -> signal(proc, "STOP"));
        if (next != null) {
          c.eventually("the new controller moves every partition off the paused broker", 20_000,
              () -> TopicScenario.ledBy(cl, 1).isEmpty());
        }
        signal(proc, "CONT");
        c.equal("resumed, the paused broker is told its session expired", "EXPIRED",
            next(lines));
        c.check("the resumed broker did not come back as a registered broker",
            !cl.exists(ZkData.brokerPath(1)) && cl.zkControllerId() != 1);
        c.equal("no broker hit an unexpected error", List.of(), cl.brokerErrors());
      } finally {
        signal(proc, "CONT");
        proc.destroyForcibly();
        proc.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Process startBrokerProcess(String connect, int id) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        BrokerProcess.class.getName(), connect, Integer.toString(id),
        Integer.toString(SHORT_SESSION_MS));
    pb.redirectErrorStream(true);
    return pb.start();
  }

  private static BlockingQueue<String> readLines(Process proc) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
               new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.matches("[A-Z]+")) lines.add(line);  // skip the client's log lines
        }
      } catch (java.io.IOException e) {
        // The process is gone.
      }
    }, "broker-process-output");
    t.setDaemon(true);
    t.start();
    return lines;
  }

  private static String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(LINE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return line == null ? "(nothing within " + LINE_TIMEOUT_MS + " ms)" : line;
  }

  private static void signal(Process proc, String sig) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(proc.pid())).start();
    kill.waitFor(10, TimeUnit.SECONDS);
  }
}
