package kafkasuite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The controller role of one broker for one epoch. Every write it makes to topic state goes
 * through a multi that first checks /controller_epoch's zkVersion, so a controller that lost
 * the role (a zombie) cannot change anything: Kafka's expectedControllerEpochZkVersion.
 *
 * Runs on its broker's event thread; the lists are read by the scenarios.
 */
final class Controller {
  final int brokerId;
  volatile int epoch;
  volatile int epochZkVersion;
  /** Set once the role is fully taken up: epoch bumped, watches placed, backlog handled. */
  volatile boolean active;

  /** Topics whose partition states this controller created. */
  final List<String> topicsInitialized = Collections.synchronizedList(new ArrayList<>());
  final List<String> topicsDeleted = Collections.synchronizedList(new ArrayList<>());
  /** Sequence numbers of the isr_change_ notifications handled, in order. */
  final List<Long> isrChangesProcessed = Collections.synchronizedList(new ArrayList<>());

  private final Broker broker;
  private final ZooKeeper zk;
  private final Set<String> knownTopics = new HashSet<>();
  private final Watcher topicsWatcher = onChildren(this::onTopicChange);
  private final Watcher brokersWatcher = onChildren(this::onBrokerChange);
  private final Watcher isrWatcher = onChildren(this::onIsrChange);
  private final Watcher deleteWatcher = onChildren(this::onDeleteTopics);

  Controller(Broker broker) {
    this.broker = broker;
    this.zk = broker.zk;
    this.brokerId = broker.id;
  }

  /** A controller as remembered by a broker that may since have lost the role. */
  Controller(ZooKeeper zk, int brokerId, int epoch, int epochZkVersion) {
    this.broker = null;
    this.zk = zk;
    this.brokerId = brokerId;
    this.epoch = epoch;
    this.epochZkVersion = epochZkVersion;
  }

  private Watcher onChildren(Broker.Task task) {
    return e -> {
      if (e.getType() == EventType.NodeChildrenChanged && broker.controller == this) {
        broker.submit(() -> {
          if (broker.controller == this) task.run();
        });
      }
    };
  }

  void onBecome() throws KeeperException, InterruptedException {
    bumpEpoch();
    onTopicChange();
    onBrokerChange();
    onIsrChange();
    onDeleteTopics();
    active = true;
  }

  /** epoch+1 by a conditional setData; the very first controller creates it at 1. */
  private void bumpEpoch() throws KeeperException, InterruptedException {
    while (true) {
      Stat stat = new Stat();
      int current;
      try {
        current =
            ZkData.parseEpoch(Zk.retry(() -> zk.getData(ZkData.CONTROLLER_EPOCH, false, stat)));
      } catch (KeeperException.NoNodeException e) {
        try {
          Zk.retry(() -> zk.create(ZkData.CONTROLLER_EPOCH, ZkData.epoch(1),
              ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
          epoch = 1;
          epochZkVersion = 0;
          return;
        } catch (KeeperException.NodeExistsException raced) {
          continue;  // created meanwhile (or by our lost reply): read and bump
        }
      }
      try {
        Stat written =
            zk.setData(ZkData.CONTROLLER_EPOCH, ZkData.epoch(current + 1), stat.getVersion());
        epoch = current + 1;
        epochZkVersion = written.getVersion();
        return;
      } catch (KeeperException.BadVersionException e) {
        // Changed under us: read again.
      } catch (KeeperException.ConnectionLossException e) {
        // Only the holder of /controller writes the epoch, so the next version is ours.
        Stat now = new Stat();
        int seen =
            ZkData.parseEpoch(Zk.retry(() -> zk.getData(ZkData.CONTROLLER_EPOCH, false, now)));
        if (now.getVersion() == stat.getVersion() + 1 && seen == current + 1) {
          epoch = seen;
          epochZkVersion = now.getVersion();
          return;
        }
      }
    }
  }

  /** New topics get their partition states, all of a topic's znodes in one guarded multi. */
  private void onTopicChange() throws KeeperException, InterruptedException {
    List<String> topics = Zk.retry(() -> zk.getChildren(ZkData.TOPICS, topicsWatcher));
    knownTopics.retainAll(topics);
    List<Integer> live = liveBrokers(false);
    for (String topic : topics) {
      if (knownTopics.contains(topic)) continue;
      if (Zk.retry(() -> zk.exists(ZkData.partitionsPath(topic), false)) != null) {
        knownTopics.add(topic);  // initialized by an earlier controller
        continue;
      }
      Map<Integer, List<Integer>> assignment = ZkData.parseTopicAssignment(
          Zk.retry(() -> zk.getData(ZkData.topicPath(topic), false, null)));
      List<Op> ops = new ArrayList<>();
      ops.add(Op.check(ZkData.CONTROLLER_EPOCH, epochZkVersion));
      ops.add(Op.create(ZkData.partitionsPath(topic), null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT));
      for (var e : assignment.entrySet()) {
        List<Integer> isr = new ArrayList<>(e.getValue());
        isr.retainAll(live);
        int leader = isr.isEmpty() ? -1 : isr.get(0);
        ops.add(Op.create(ZkData.partitionPath(topic, e.getKey()), null,
            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        ops.add(Op.create(ZkData.statePath(topic, e.getKey()),
            new ZkData.LeaderAndIsr(leader, 0, isr, epoch).encode(), ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT));
      }
      try {
        Zk.retry(() -> zk.multi(ops));
      } catch (KeeperException.NodeExistsException e) {
        // Our earlier attempt went through before its reply was lost.
      }
      knownTopics.add(topic);
      topicsInitialized.add(topic);
    }
  }

  /** Partitions led by a broker that left get the first live ISR member as leader. */
  private void onBrokerChange() throws KeeperException, InterruptedException {
    List<Integer> live = liveBrokers(true);
    for (String topic : new ArrayList<>(knownTopics)) {
      Map<Integer, List<Integer>> assignment;
      try {
        assignment = ZkData.parseTopicAssignment(
            Zk.retry(() -> zk.getData(ZkData.topicPath(topic), false, null)));
      } catch (KeeperException.NoNodeException e) {
        continue;  // being deleted
      }
      for (int p : assignment.keySet()) {
        Stat stat = new Stat();
        ZkData.LeaderAndIsr cur;
        try {
          cur = ZkData.LeaderAndIsr.decode(
              Zk.retry(() -> zk.getData(ZkData.statePath(topic, p), false, stat)));
        } catch (KeeperException.NoNodeException e) {
          continue;
        }
        if (live.contains(cur.leader())) continue;
        List<Integer> isr = new ArrayList<>(cur.isr());
        isr.retainAll(live);
        if (isr.isEmpty()) continue;  // offline partition: Kafka keeps the last ISR
        updateLeaderAndIsr(Map.of(ZkData.statePath(topic, p),
            new Update(new ZkData.LeaderAndIsr(isr.get(0), cur.leaderEpoch() + 1, isr, epoch),
                stat.getVersion())));
      }
    }
  }

  private List<Integer> liveBrokers(boolean watch) throws KeeperException, InterruptedException {
    List<String> ids = Zk.retry(
        () -> watch ? zk.getChildren(ZkData.BROKER_IDS, brokersWatcher)
                    : zk.getChildren(ZkData.BROKER_IDS, false));
    List<Integer> out = new ArrayList<>();
    for (String id : ids) out.add(Integer.parseInt(id));
    return out;
  }

  record Update(ZkData.LeaderAndIsr state, int expectedVersion) {}

  /**
   * Writes new leader/ISR states in one multi guarded by the epoch znode's version.
   * Throws BadVersionException when this controller is stale; then nothing is applied.
   */
  List<OpResult> updateLeaderAndIsr(Map<String, Update> updates)
      throws KeeperException, InterruptedException {
    List<Op> ops = new ArrayList<>();
    ops.add(Op.check(ZkData.CONTROLLER_EPOCH, epochZkVersion));
    updates.forEach(
        (path, u) -> ops.add(Op.setData(path, u.state().encode(), u.expectedVersion())));
    try {
      return zk.multi(ops);
    } catch (KeeperException.ConnectionLossException e) {
      // Applied or not? Read back: every state already as intended means applied.
      for (var entry : updates.entrySet()) {
        byte[] now = Zk.retry(() -> zk.getData(entry.getKey(), false, null));
        if (!ZkData.LeaderAndIsr.decode(now).equals(entry.getValue().state())) {
          return Zk.retry(() -> zk.multi(ops));
        }
      }
      return List.of();
    }
  }

  /** Consumes isr_change_ notifications in sequence order, then deletes them. */
  private void onIsrChange() throws KeeperException, InterruptedException {
    List<String> children =
        new ArrayList<>(Zk.retry(() -> zk.getChildren(ZkData.ISR_CHANGES, isrWatcher)));
    children.sort((a, b) -> Long.compare(ZkData.sequenceNumber(a, ZkData.ISR_CHANGE_PREFIX),
        ZkData.sequenceNumber(b, ZkData.ISR_CHANGE_PREFIX)));
    for (String c : children) {
      String path = ZkData.ISR_CHANGES + "/" + c;
      byte[] data;
      try {
        data = Zk.retry(() -> zk.getData(path, false, null));
      } catch (KeeperException.NoNodeException e) {
        continue;
      }
      // Kafka re-reads the named partitions' states here to refresh its metadata cache.
      for (var p : ZkData.parse(data).get("partitions")) {
        String state = ZkData.statePath(p.get("topic").asText(), p.get("partition").asInt());
        Zk.retry(() -> zk.exists(state, false));
      }
      isrChangesProcessed.add(ZkData.sequenceNumber(c, ZkData.ISR_CHANGE_PREFIX));
      try {
        Zk.retry(() -> {
          zk.delete(path, -1);
          return null;
        });
      } catch (KeeperException.NoNodeException e) {
        // Deleted by our own lost-reply attempt.
      }
    }
  }

  /** Deletes every znode of a topic marked under /admin/delete_topics, then the marker. */
  private void onDeleteTopics() throws KeeperException, InterruptedException {
    List<String> marked = Zk.retry(() -> zk.getChildren(ZkData.DELETE_TOPICS, deleteWatcher));
    for (String topic : marked) {
      List<String> subtree = new ArrayList<>();
      try {
        subtree.addAll(Zk.dump(zk, ZkData.topicPath(topic)).keySet());
      } catch (KeeperException.NoNodeException e) {
        // No such topic (any more): only the marker goes.
      }
      Collections.reverse(subtree);  // children before parents
      List<Op> ops = new ArrayList<>();
      ops.add(Op.check(ZkData.CONTROLLER_EPOCH, epochZkVersion));
      for (String path : subtree) ops.add(Op.delete(path, -1));
      try {
        if (!subtree.isEmpty()) Zk.retry(() -> zk.multi(ops));
      } catch (KeeperException.NoNodeException e) {
        // Deleted already (a lost reply).
      }
      Zk.deleteRecursive(zk, ZkData.topicConfigPath(topic));
      Zk.deleteRecursive(zk, ZkData.deleteTopicPath(topic));
      knownTopics.remove(topic);
      topicsDeleted.add(topic);
    }
  }
}
