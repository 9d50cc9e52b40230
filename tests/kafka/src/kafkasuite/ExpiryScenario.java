package kafkasuite;

import java.util.List;
import java.util.Map;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The controller goes silent (its connection runs through a proxy that is cut, as in a long
 * pause) until the server expires its session; then it comes back as a zombie.
 */
final class ExpiryScenario {
  /** The smallest timeout a default server grants (2 ticks of 2 s), so expiry comes fast. */
  static final int SHORT_SESSION_MS = 4_000;

  static final Map<Integer, List<Integer>> METRICS =
      Map.of(0, List.of(1, 2, 3), 1, List.of(1, 3, 2), 2, List.of(2, 3, 1));

  private ExpiryScenario() {}

  static void run(Checks c, String hosts, String name) throws Exception {
    String first = hosts.split(",")[0];
    int colon = first.lastIndexOf(':');
    try (Cluster cl = Cluster.create(hosts, name, 10_000);
         TcpProxy proxy =
             new TcpProxy(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)))) {
      String viaProxy = proxy.hostPort() + cl.chroot();
      Broker silent = cl.start(1, viaProxy, SHORT_SESSION_MS);
      if (!c.check("the first broker becomes controller",
              cl.awaitController(List.of(silent), 20_000) != null, "it did not")) {
        return;
      }
      cl.startTogether(2, 3);
      cl.createTopic("metrics", METRICS);
      c.eventually("the controller creates the topic's partition states", 20_000,
          () -> cl.topicReady("metrics", 3));
      Controller old = silent.controller;
      int oldEpoch = old.epoch;
      int oldEpochZkVersion = old.epochZkVersion;

      long timeout = 6L * SHORT_SESSION_MS + 10_000;
      Broker next = Failover.run(c, cl, silent, timeout, proxy::cut);
      if (next == null) return;
      c.check("the silent broker has not yet heard of its expiry and still acts as controller",
          silent.isController() && silent.expiredEvents.get() == 0);
      c.eventually("the new controller moves every partition off the expired broker", 20_000,
          () -> TopicScenario.ledBy(cl, 1).isEmpty());
      TopicScenario.checkMoved(c, cl, 1, oldEpoch + 1);

      proxy.restore();
      c.eventually("back online, the silent broker is told its session expired", timeout,
          () -> silent.expiredEvents.get() == 1);
      ZooKeeper fresh = Zk.connect(viaProxy, SHORT_SESSION_MS, null);
      try {
        Controller zombie = new Controller(fresh, 1, oldEpoch, oldEpochZkVersion);
        StaleController.check(c, cl, zombie, "metrics", List.of(0, 1, 2));
      } finally {
        fresh.close();
      }

      cl.brokers.remove(1);
      silent.close();
      Broker again = cl.start(1);
      cl.drainAll();
      Stat reg = cl.stat(ZkData.brokerPath(1));
      c.check("the expired broker rejoins under a new session, as a follower",
          reg != null && reg.getEphemeralOwner() == again.sessionId && !again.isController()
              && cl.zkControllerId() == next.id);
      c.equal("no broker hit an unexpected error", List.of(), cl.brokerErrors());
    }
  }
}
