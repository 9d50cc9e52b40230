// Round trips the records of testdata/nested.jute, which use compiler
// features zookeeper.jute does not: nested vectors and cross-module names.
#include "tests/unit/jute/nested.h"

#include <gtest/gtest.h>

#include <string>

#include "jute/archive.h"
#include "tests/unit/jute/nested_testing.h"

namespace zk {
namespace {

TEST(NestedRecordsTest, RoundTripNestedVectorsOfScalarsStringsAndRecords) {
  outer::Matrix matrix;
  int counter = 0;
  jute::testing::FillSample(&matrix, &counter);
  ASSERT_EQ(matrix.paths.size(), 2u);
  ASSERT_EQ(matrix.paths[1].size(), 2u);

  const std::string bytes = jute::Encode(matrix);
  outer::Matrix decoded;
  ASSERT_TRUE(jute::Decode(bytes, &decoded));
  EXPECT_EQ(decoded, matrix);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(jute::Decode(std::string_view(bytes).substr(0, cut), &decoded)) << cut;
  }
}

TEST(NestedRecordsTest, EncodesNestedVectorsAsCountsThenElements) {
  outer::Matrix matrix;
  matrix.cells = {{7}, {}};
  std::string expected;
  jute::OutputArchive out(&expected);
  out.WriteVectorSize(2);
  out.WriteVectorSize(1);
  out.WriteInt(7);
  out.WriteVectorSize(0);
  out.WriteVectorSize(0);  // words
  out.WriteVectorSize(0);  // paths
  out.WriteString("");     // shape.name
  out.WriteVectorSize(0);  // shape.corners
  EXPECT_EQ(jute::Encode(matrix), expected);
}

TEST(NestedRecordsTest, GivesScalarsZeroDefaults) {
  inner::Point point;
  EXPECT_EQ(point.x, 0);
  EXPECT_EQ(point.y, 0);
  EXPECT_FALSE(point.visible);
  EXPECT_TRUE(point.tag.empty());
}

}  // namespace
}  // namespace zk
