package kafkasuite;

import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Topics are created while the ZooKeeper leader is killed (kill -9) by the driver. Brokers
 * must ride through on their sessions, and every server must end with the same tree.
 *
 * The driver is told when to act by "AWAIT <action>" lines and answers on stdin.
 */
final class EnsembleScenario {
  static final int TOPICS = 16;
  static final int KILL_AFTER = 6;
  static final int SESSION_MS = 20_000;

  private EnsembleScenario() {}

  static void run(Checks c, String hosts, String name, BufferedReader driver) throws Exception {
    try (Cluster cl = Cluster.create(hosts, name, SESSION_MS)) {
      List<Broker> brokers = cl.startTogether(1, 2, 3);
      Broker ctl = cl.awaitController(brokers, 30_000);
      if (!c.check("a controller is elected", ctl != null, "none")) return;
      int epoch = cl.zkEpoch();
      Map<Broker, Long> sessions = new HashMap<>();
      for (Broker b : brokers) sessions.put(b, b.sessionId);

      List<String> topics = new ArrayList<>();
      for (int i = 0; i < TOPICS; i++) {
        String topic = "topic" + i;
        topics.add(topic);
        int a = i % 3 + 1;
        int b = (i + 1) % 3 + 1;
        cl.createTopic(topic, Map.of(0, List.of(a, b), 1, List.of(b, a)));
        if (i == KILL_AFTER) {
          // The controller is working on this topic while the leader dies.
          await(driver, "kill-leader");
        }
      }
      c.eventually("every topic gets its partition states across the leader's crash", 60_000,
          () -> {
            for (String t : topics) {
              if (!cl.topicReady(t, 2)) return false;
            }
            return true;
          });
      cl.drainAll();
      for (Broker b : brokers) {
        Stat reg = cl.stat(ZkData.brokerPath(b.id));
        c.check("broker " + b.id + " kept its session through the crash",
            b.expiredEvents.get() == 0 && b.zk.getSessionId() == sessions.get(b) && reg != null
                && reg.getEphemeralOwner() == sessions.get(b));
        c.equal("broker " + b.id + "'s /controller watch never fired", 0,
            b.controllerDeleted.get());
      }
      c.check("the controller and its epoch are unchanged",
          cl.zkControllerId() == ctl.id && cl.zkEpoch() == epoch && ctl.isController());
      List<String> initialized = new ArrayList<>(ctl.controller.topicsInitialized);
      initialized.sort(null);
      List<String> want = new ArrayList<>(topics);
      want.sort(null);
      c.equal("the controller initialized each topic exactly once", want, initialized);
      c.equal("no broker hit an unexpected error", List.of(), cl.brokerErrors());

      await(driver, "restart-killed");
      compareServers(c, cl, topics);
    }
  }

  private static void await(BufferedReader driver, String action) throws Exception {
    System.out.println("AWAIT " + action);
    System.out.flush();
    String reply = driver.readLine();
    if (reply == null || !reply.trim().equals("done")) {
      throw new IllegalStateException("driver did not do " + action + ": " + reply);
    }
  }

  /** Reads the cluster's whole tree from each server on its own, after a sync. */
  private static void compareServers(Checks c, Cluster cl, List<String> topics) throws Exception {
    Map<String, TreeMap<String, String>> trees = new TreeMap<>();
    for (String server : cl.hosts.split(",")) {
      ZooKeeper zk = Zk.connect(server + cl.chroot(), SESSION_MS, null);
      try {
        CountDownLatch synced = new CountDownLatch(1);
        zk.sync("/", (rc, path, ctx) -> synced.countDown(), null);
        if (!synced.await(Zk.RETRY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("no sync from " + server);
        }
        trees.put(server, Zk.dump(zk, "/"));
      } finally {
        zk.close();
      }
    }
    TreeMap<String, String> reference = trees.values().iterator().next();
    for (var e : trees.entrySet()) {
      c.check("server " + e.getKey() + " holds the same tree as the others",
          e.getValue().equals(reference), firstDifference(reference, e.getValue()));
      boolean all = true;
      for (String t : topics) {
        all &= e.getValue().containsKey(ZkData.statePath(t, 0))
            && e.getValue().containsKey(ZkData.statePath(t, 1));
      }
      c.check("server " + e.getKey() + " holds every topic's partition states", all);
    }
  }

  private static String firstDifference(TreeMap<String, String> a, TreeMap<String, String> b) {
    TreeMap<String, String> all = new TreeMap<>(a);
    all.putAll(b);
    for (String path : all.keySet()) {
      if (!String.valueOf(a.get(path)).equals(String.valueOf(b.get(path)))) {
        return path + ": " + a.get(path) + " vs " + b.get(path);
      }
    }
    return "none";
  }
}
