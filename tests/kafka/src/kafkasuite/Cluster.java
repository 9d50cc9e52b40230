package kafkasuite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A Kafka cluster's footprint in ZooKeeper under its own chroot: the brokers, plus an admin
 * handle standing in for the kafka-topics / kafka-configs tools.
 */
final class Cluster implements AutoCloseable {
  final String hosts;
  final String connect;
  final int sessionTimeoutMs;
  final ZooKeeper admin;
  final Map<Integer, Broker> brokers = new ConcurrentSkipListMap<>();

  private Cluster(String hosts, String connect, int sessionTimeoutMs, ZooKeeper admin) {
    this.hosts = hosts;
    this.connect = connect;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.admin = admin;
  }

  /** A fresh chroot `/<name>` on `hosts`, with the persistent paths a Kafka cluster creates. */
  static Cluster create(String hosts, String name, int sessionTimeoutMs) throws Exception {
    ZooKeeper root = Zk.connect(hosts, sessionTimeoutMs, null);
    try {
      Zk.ensure(root, "/" + name);
    } finally {
      root.close();
    }
    String connect = hosts + "/" + name;
    ZooKeeper admin = Zk.connect(connect, sessionTimeoutMs, null);
    Zk.ensureAll(admin, ZkData.PERSISTENT_PATHS);
    return new Cluster(hosts, connect, sessionTimeoutMs, admin);
  }

  Broker start(int id) throws Exception {
    return start(id, connect, sessionTimeoutMs);
  }

  String chroot() {
    return connect.substring(hosts.length());
  }

  /** A broker reaching ZooKeeper through `via` (a connect string) with its own timeout. */
  Broker start(int id, String via, int timeoutMs) throws Exception {
    Broker b = Broker.start(id, via, timeoutMs);
    brokers.put(id, b);
    return b;
  }

  /** Starts brokers at the same moment so that they really race for the controller. */
  List<Broker> startTogether(int... ids) throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int id : ids) {
      Thread t = new Thread(() -> {
        try {
          start(id);
        } catch (Exception e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    if (!failures.isEmpty()) throw failures.get(0);
    List<Broker> out = new ArrayList<>();
    for (int id : ids) out.add(brokers.get(id));
    return out;
  }

  void stop(int id) {
    Broker b = brokers.remove(id);
    if (b != null) b.close();
  }

  /**
   * Waits until exactly one of `among` has taken up the controller role and /controller names
   * it; returns it, or null after the timeout.
   */
  Broker awaitController(Collection<Broker> among, long timeoutMs) throws InterruptedException {
    Broker[] found = new Broker[1];
    Checks.waitFor(timeoutMs, () -> {
      List<Broker> active = new ArrayList<>();
      for (Broker b : among) {
        Controller c = b.controller;
        if (c != null && c.active) active.add(b);
      }
      found[0] = active.size() == 1 && zkControllerId() == active.get(0).id ? active.get(0) : null;
      return found[0] != null;
    });
    return found[0];
  }

  /** The broker id in /controller, or -1 when there is none. */
  int zkControllerId() {
    try {
      byte[] data = Zk.retry(() -> admin.getData(ZkData.CONTROLLER, false, null));
      return ZkData.parse(data).get("brokerid").asInt();
    } catch (KeeperException.NoNodeException e) {
      return -1;
    } catch (KeeperException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  int zkEpoch() throws KeeperException, InterruptedException {
    return ZkData.parseEpoch(Zk.retry(() -> admin.getData(ZkData.CONTROLLER_EPOCH, false, null)));
  }

  Stat stat(String path) throws KeeperException, InterruptedException {
    return Zk.retry(() -> admin.exists(path, false));
  }

  boolean exists(String path) {
    try {
      return stat(path) != null;
    } catch (KeeperException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What kafka-topics --create does in ZooKeeper mode: write the assignment, nothing else. */
  void createTopic(String topic, Map<Integer, List<Integer>> assignment)
      throws KeeperException, InterruptedException {
    try {
      Zk.retry(() -> admin.create(ZkData.topicPath(topic), ZkData.topicAssignment(assignment),
          ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    } catch (KeeperException.NodeExistsException e) {
      // Our own create, whose reply a connection loss swallowed.
    }
  }

  /** True once the controller created a state znode for each of the topic's partitions. */
  boolean topicReady(String topic, int partitions) {
    for (int p = 0; p < partitions; p++) {
      if (!exists(ZkData.statePath(topic, p))) return false;
    }
    return true;
  }

  ZkData.LeaderAndIsr state(String topic, int partition, Stat stat)
      throws KeeperException, InterruptedException {
    return ZkData.LeaderAndIsr.decode(
        Zk.retry(() -> admin.getData(ZkData.statePath(topic, partition), false, stat)));
  }

  void drainAll() throws InterruptedException {
    for (Broker b : brokers.values()) b.drain();
  }

  /** Unexpected exceptions on any broker's event thread. */
  List<String> brokerErrors() {
    List<String> out = new ArrayList<>();
    for (Broker b : brokers.values()) {
      synchronized (b.errors) {
        for (Throwable t : b.errors) out.add("broker " + b.id + ": " + t);
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (Broker b : brokers.values()) b.close();
    brokers.clear();
    try {
      admin.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
