package kafkasuite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** Cluster id, broker registration, controller election and failover by a clean close. */
final class MembershipScenarios {
  private MembershipScenarios() {}

  static void registration(Checks c, String hosts, String name) throws Exception {
    try (Cluster cl = Cluster.create(hosts, name, 10_000)) {
      List<Broker> brokers = cl.startTogether(1, 2, 3);

      JsonNode id = ZkData.parse(cl.admin.getData(ZkData.CLUSTER_ID, false, null));
      c.equal("/cluster/id is Kafka's version 1 JSON", "1", id.get("version").asText());
      boolean agree = true;
      for (Broker b : brokers) agree &= id.get("id").asText().equals(b.clusterId);
      c.check("racing brokers agree on the one cluster id in /cluster/id", agree);
      for (String p : ZkData.PERSISTENT_PATHS) {
        c.check(p + " exists and is persistent",
            cl.stat(p) != null && cl.stat(p).getEphemeralOwner() == 0);
      }

      List<String> ids = new ArrayList<>(cl.admin.getChildren(ZkData.BROKER_IDS, false));
      Collections.sort(ids);
      c.equal("every broker is registered under /brokers/ids", List.of("1", "2", "3"), ids);
      for (Broker b : brokers) {
        Stat stat = new Stat();
        JsonNode info = ZkData.parse(cl.admin.getData(ZkData.brokerPath(b.id), false, stat));
        c.check("broker " + b.id + "'s registration is an ephemeral of its own session",
            stat.getEphemeralOwner() == b.sessionId);
        c.check("broker " + b.id + "'s registration JSON reads back",
            info.get("version").asInt() == 5 && info.get("port").asInt() == 9092 + b.id
                && info.get("endpoints").get(0).asText().startsWith("PLAINTEXT://"));
      }

      Stat before = cl.stat(ZkData.brokerPath(1));
      try {
        Broker.start(1, cl.connect, cl.sessionTimeoutMs).close();
        c.check("a duplicate broker id is refused", false, "the second broker registered");
      } catch (KeeperException.NodeExistsException e) {
        c.check("a duplicate broker id is refused with NodeExists", true);
      }
      Stat after = cl.stat(ZkData.brokerPath(1));
      c.check("the refused duplicate leaves the first registration untouched",
          after != null && after.getCzxid() == before.getCzxid()
              && after.getEphemeralOwner() == cl.brokers.get(1).sessionId);

      cl.stop(2);
      c.check("a cleanly closed broker's registration is gone when close returns",
          !cl.exists(ZkData.brokerPath(2)));
      Broker again = cl.start(2);
      Stat s2 = cl.stat(ZkData.brokerPath(2));
      c.check("the freed id registers again under the new session",
          s2 != null && s2.getEphemeralOwner() == again.sessionId);
      cl.drainAll();
      c.equal("no broker hit an unexpected error", List.of(), cl.brokerErrors());
    }
  }

  static void election(Checks c, String hosts, String name) throws Exception {
    try (Cluster cl = Cluster.create(hosts, name, 10_000)) {
      c.check("a new cluster has no controller and no epoch",
          !cl.exists(ZkData.CONTROLLER) && !cl.exists(ZkData.CONTROLLER_EPOCH));
      List<Broker> brokers = cl.startTogether(1, 2, 3);
      Broker first = cl.awaitController(brokers, 20_000);
      if (!c.check("one of three racing brokers becomes controller", first != null, "none")) {
        return;
      }
      cl.drainAll();
      int won = 0;
      for (Broker b : brokers) won += b.timesElected.get();
      c.equal("exactly one broker won the race", 1, won);

      Stat cs = new Stat();
      JsonNode js = ZkData.parse(cl.admin.getData(ZkData.CONTROLLER, false, cs));
      c.check("/controller holds Kafka's version 1 JSON naming the winner",
          js.get("version").asInt() == 1 && js.get("brokerid").asInt() == first.id
              && js.get("timestamp").asText().matches("[0-9]+"));
      c.check("/controller is an ephemeral of the winner's session",
          cs.getEphemeralOwner() == first.sessionId);
      Stat es = cl.stat(ZkData.CONTROLLER_EPOCH);
      c.equal("the first controller creates /controller_epoch at 1", 1, cl.zkEpoch());
      c.check("the first epoch is zkVersion 0 and persistent",
          es.getVersion() == 0 && es.getEphemeralOwner() == 0
              && first.controller.epochZkVersion == 0);

      Broker second = Failover.run(c, cl, first, 20_000, () -> cl.stop(first.id));
      Broker back = cl.start(first.id);
      cl.drainAll();
      c.check("a rejoining broker does not take over a live controller",
          !back.isController() && back.timesElected.get() == 0);
      if (second != null) {
        Failover.run(c, cl, second, 20_000, () -> cl.stop(second.id));
        c.equal("the epoch counts every controller", 3, cl.zkEpoch());
        c.equal("each epoch bump is one conditional setData", 2,
            cl.stat(ZkData.CONTROLLER_EPOCH).getVersion());
      }
      c.equal("no broker hit an unexpected error", List.of(), cl.brokerErrors());
    }
  }
}
