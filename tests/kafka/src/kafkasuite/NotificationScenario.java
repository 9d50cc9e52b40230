package kafkasuite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** config_change_ and isr_change_ sequential notifications, written concurrently. */
final class NotificationScenario {
  static final int WRITERS = 3;
  static final int CHANGES_PER_WRITER = 8;
  static final int ISR_CHANGES_PER_BROKER = 5;

  private NotificationScenario() {}

  static void run(Checks c, String hosts, String name) throws Exception {
    try (Cluster cl = Cluster.create(hosts, name, 10_000)) {
      List<Broker> brokers = cl.startTogether(1, 2, 3);
      Broker ctl = cl.awaitController(brokers, 20_000);
      if (!c.check("a controller is elected", ctl != null, "none")) return;

      List<String> created = writeConfigChanges(cl);
      int total = WRITERS * CHANGES_PER_WRITER;
      List<String> expectedNames = new ArrayList<>();
      List<Long> expectedSeqs = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        expectedNames.add(String.format("%s%010d", ZkData.CONFIG_CHANGE_PREFIX, i));
        expectedSeqs.add((long) i);
      }
      Collections.sort(created);
      c.equal("concurrent config_change_ nodes get ten-digit sequence numbers, none skipped",
          expectedNames, created);
      c.eventually("every broker applies every config change", 20_000, () -> {
        for (Broker b : brokers) {
          if (b.configChangesApplied.size() < total) return false;
        }
        return true;
      });
      cl.drainAll();
      for (Broker b : brokers) {
        c.equal("broker " + b.id + " applied each config change once, in sequence order",
            expectedSeqs, new ArrayList<>(b.configChangesApplied));
        boolean latest = true;
        for (int w = 0; w < WRITERS; w++) {
          latest &= Map.of("retention.ms", Integer.toString(CHANGES_PER_WRITER - 1))
                        .equals(b.topicConfigs.get("topics/t" + w));
        }
        c.check("broker " + b.id + " ends with the last config written for every topic", latest,
            b.topicConfigs.toString());
      }

      cl.createTopic("events", TopicScenario.ORDERS);
      c.eventually("the controller creates the topic's partition states", 20_000,
          () -> cl.topicReady("events", 3));
      List<Long> isrSeqs = announceIsrChanges(brokers);
      Collections.sort(isrSeqs);
      c.eventually("the controller consumes and deletes every isr_change_ notification", 20_000,
          () -> ctl.controller.isrChangesProcessed.size() >= isrSeqs.size()
              && children(cl, ZkData.ISR_CHANGES).isEmpty());
      cl.drainAll();
      c.equal("the controller handled each isr change once, in sequence order", isrSeqs,
          new ArrayList<>(ctl.controller.isrChangesProcessed));
      c.equal("no broker hit an unexpected error", List.of(), cl.brokerErrors());
    }
  }

  /** WRITERS admin sessions each update one topic's config and announce it, concurrently. */
  private static List<String> writeConfigChanges(Cluster cl) throws Exception {
    List<String> created = Collections.synchronizedList(new ArrayList<>());
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      String topic = "t" + w;
      Thread t = new Thread(() -> {
        try {
          ZooKeeper zk = Zk.connect(cl.connect, 10_000, null);
          try {
            for (int i = 0; i < CHANGES_PER_WRITER; i++) {
              byte[] config = ZkData.topicConfig(Map.of("retention.ms", Integer.toString(i)));
              if (i == 0) {
                zk.create(ZkData.topicConfigPath(topic), config, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
              } else {
                zk.setData(ZkData.topicConfigPath(topic), config, -1);
              }
              String path = zk.create(
                  ZkData.CONFIG_CHANGES + "/" + ZkData.CONFIG_CHANGE_PREFIX,
                  ZkData.configChange("topics/" + topic), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                  CreateMode.PERSISTENT_SEQUENTIAL);
              created.add(path.substring(path.lastIndexOf('/') + 1));
            }
          } finally {
            zk.close();
          }
        } catch (Exception e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join(60_000);
    if (!failures.isEmpty()) throw failures.get(0);
    return new ArrayList<>(created);
  }

  /** Each broker, as a partition leader, announces ISR changes at the same time. */
  private static List<Long> announceIsrChanges(List<Broker> brokers) throws Exception {
    List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (Broker b : brokers) {
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; i < ISR_CHANGES_PER_BROKER; i++) {
            String n = b.notifyIsrChange("events", List.of(b.id - 1));
            seqs.add(ZkData.sequenceNumber(n, ZkData.ISR_CHANGE_PREFIX));
          }
        } catch (Exception e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join(60_000);
    if (!failures.isEmpty()) throw failures.get(0);
    return new ArrayList<>(seqs);
  }

  static List<String> children(Cluster cl, String path) {
    try {
      return cl.admin.getChildren(path, false);
    } catch (KeeperException | InterruptedException e) {
      return List.of(e.toString());
    }
  }
}
