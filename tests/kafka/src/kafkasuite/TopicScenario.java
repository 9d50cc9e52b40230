package kafkasuite;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** Topic creation, guarded leader/ISR updates, a zombie controller, and topic deletion. */
final class TopicScenario {
  static final Map<Integer, List<Integer>> ORDERS =
      Map.of(0, List.of(1, 2, 3), 1, List.of(2, 3, 1), 2, List.of(3, 1, 2));
  static final Map<Integer, List<Integer>> PAYMENTS = Map.of(0, List.of(1, 2), 1, List.of(2, 3));

  private TopicScenario() {}

  static void run(Checks c, String hosts, String name) throws Exception {
    try (Cluster cl = Cluster.create(hosts, name, 10_000)) {
      List<Broker> brokers = cl.startTogether(1, 2, 3);
      Broker ctl = cl.awaitController(brokers, 20_000);
      if (!c.check("a controller is elected", ctl != null, "none")) return;
      int epoch = ctl.controller.epoch;

      cl.createTopic("orders", ORDERS);
      cl.createTopic("payments", PAYMENTS);
      c.eventually("the controller creates a state znode for every new partition", 20_000,
          () -> cl.topicReady("orders", 3) && cl.topicReady("payments", 2));
      c.equal("the assignment JSON reads back as written", ORDERS,
          ZkData.parseTopicAssignment(cl.admin.getData(ZkData.topicPath("orders"), false, null)));
      checkInitialStates(c, cl, "orders", ORDERS, epoch);
      checkInitialStates(c, cl, "payments", PAYMENTS, epoch);
      TreeSet<String> fields = new TreeSet<>();
      ZkData.parse(cl.admin.getData(ZkData.statePath("orders", 0), false, null))
          .fieldNames()
          .forEachRemaining(fields::add);
      c.equal("a state znode holds exactly Kafka's leader/ISR fields",
          new TreeSet<>(List.of("controller_epoch", "isr", "leader", "leader_epoch", "version")),
          fields);

      Broker leader = cl.brokers.get(1);  // leads orders-0
      Stat written = leader.updateIsr("orders", 0, List.of(1, 2), 0);
      c.equal("a leader's ISR update on the expected version succeeds", 1, written.getVersion());
      try {
        leader.updateIsr("orders", 0, List.of(1), 0);
        c.check("an ISR update on a stale version is refused", false, "it was applied");
      } catch (KeeperException.BadVersionException e) {
        c.check("an ISR update on a stale version is refused with BadVersion", true);
      }
      Stat st = new Stat();
      c.check("the refused update changed nothing",
          cl.state("orders", 0, st).isr().equals(List.of(1, 2)) && st.getVersion() == 1);
      raceOnOneVersion(c, cl);

      Stat ps = new Stat();
      ZkData.LeaderAndIsr cur = cl.state("payments", 1, ps);
      ZkData.LeaderAndIsr moved =
          new ZkData.LeaderAndIsr(3, cur.leaderEpoch() + 1, List.of(3, 2), epoch);
      ctl.controller.updateLeaderAndIsr(Map.of(ZkData.statePath("payments", 1),
          new Controller.Update(moved, ps.getVersion())));
      c.equal("the controller's epoch-guarded update applies", moved,
          cl.state("payments", 1, null));

      // The controller is about to lose its role; it keeps what it knew, and a session.
      ZooKeeper zombieZk = Zk.connect(cl.connect, 10_000, null);
      try {
        Controller zombie = new Controller(zombieZk, ctl.id, ctl.controller.epoch,
            ctl.controller.epochZkVersion);
        Broker next = Failover.run(c, cl, ctl, 20_000, () -> cl.stop(ctl.id));
        if (next == null) return;
        c.eventually("the new controller moves every partition off the closed broker", 20_000,
            () -> ledBy(cl, ctl.id).isEmpty());
        checkMoved(c, cl, ctl.id, next.controller.epoch);
        StaleController.check(c, cl, zombie, "orders", List.of(0, 1, 2));

        Zk.retry(() -> cl.admin.create(ZkData.deleteTopicPath("payments"), null,
            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        c.eventually("the controller deletes a topic marked under /admin/delete_topics", 20_000,
            () -> !cl.exists(ZkData.topicPath("payments"))
                && !cl.exists(ZkData.deleteTopicPath("payments")));
        cl.drainAll();
        c.equal("the controller handled the deletion once", List.of("payments"),
            new ArrayList<>(next.controller.topicsDeleted));
        c.check("other topics survive a deletion", cl.topicReady("orders", 3));
      } finally {
        zombieZk.close();
      }
      c.equal("no broker hit an unexpected error", List.of(), cl.brokerErrors());
    }
  }

  private static void checkInitialStates(Checks c, Cluster cl, String topic,
      Map<Integer, List<Integer>> assignment, int epoch) throws Exception {
    boolean ok = true;
    String detail = "";
    for (var e : assignment.entrySet()) {
      Stat stat = new Stat();
      ZkData.LeaderAndIsr s = cl.state(topic, e.getKey(), stat);
      ZkData.LeaderAndIsr want =
          new ZkData.LeaderAndIsr(e.getValue().get(0), 0, e.getValue(), epoch);
      if (!s.equals(want) || stat.getVersion() != 0) {
        ok = false;
        detail += topic + "-" + e.getKey() + ": " + s + " v" + stat.getVersion() + "; ";
      }
    }
    c.check(topic + ": every partition starts led by its first replica, with the full ISR",
        ok, detail);
  }

  /** Two brokers write the same state at the same version: exactly one may win. */
  private static void raceOnOneVersion(Checks c, Cluster cl) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    AtomicInteger won = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int id : new int[] {2, 3}) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          cl.brokers.get(id).updateIsr("orders", 1, List.of(2, 3), 0);
          won.incrementAndGet();
        } catch (KeeperException.BadVersionException e) {
          refused.incrementAndGet();
        } catch (Exception e) {
          // Counted as neither.
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join(20_000);
    c.check("of two racing updates on one version exactly one wins, one gets BadVersion",
        won.get() == 1 && refused.get() == 1, won + " won, " + refused + " refused");
  }

  static List<String> ledBy(Cluster cl, int brokerId) {
    List<String> out = new ArrayList<>();
    try {
      for (String topic : cl.admin.getChildren(ZkData.TOPICS, false)) {
        Map<Integer, List<Integer>> a = ZkData.parseTopicAssignment(
            cl.admin.getData(ZkData.topicPath(topic), false, null));
        for (int p : a.keySet()) {
          if (cl.state(topic, p, null).leader() == brokerId) out.add(topic + "-" + p);
        }
      }
    } catch (KeeperException | InterruptedException e) {
      out.add(e.toString());
    }
    return out;
  }

  /** Partitions moved by a failover carry the new epoch, a bumped leader epoch, no dead ISR. */
  static void checkMoved(Checks c, Cluster cl, int dead, int epoch) throws Exception {
    boolean ok = true;
    String detail = "";
    for (String topic : cl.admin.getChildren(ZkData.TOPICS, false)) {
      for (Iterator<Integer> it = ZkData.parseTopicAssignment(
               cl.admin.getData(ZkData.topicPath(topic), false, null))
                                        .keySet()
                                        .iterator();
           it.hasNext();) {
        int p = it.next();
        ZkData.LeaderAndIsr s = cl.state(topic, p, null);
        if (s.controllerEpoch() == epoch
            && (s.isr().contains(dead) || s.leaderEpoch() < 1 || s.leader() != s.isr().get(0))) {
          ok = false;
          detail += topic + "-" + p + ": " + s + "; ";
        }
      }
    }
    c.check("moved partitions carry the new controller epoch, a higher leader epoch and no "
            + "dead replica in the ISR",
        ok, detail);
  }
}
