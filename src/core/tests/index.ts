// MCP test collections (`*.mcptest.json`): the file format, matching, snapshots and the runner,
// shared by the CLI (`mcp-manager test`) and the editor's Testing view.
export {
  COLLECTION_SUFFIX,
  CollectionError,
  formatIssue,
  isCollectionFile,
  loadCollection,
  parseCollection,
  testsArrayNode,
  type Collection,
  type CollectionIssue,
  type Expectations,
  type ParseOptions,
  type TestCase,
  type TestKind,
} from './format';
export { checkExpectations, resultText, subsetMismatch, type AnyResult, type Failure } from './match';
export { maskPaths, parseJsonPath, MASK_VALUE } from './jsonPath';
export { SnapshotStore, snapshotFile, type SnapshotOutcome } from './snapshot';
export { lineDiff, stableJson, sortKeys } from './diff';
export {
  runCollections,
  snapshotValue,
  type RunOptions,
  type RunSummary,
  type TestConnection,
  type TestResult,
  type TestStatus,
} from './runner';
export { findCollections } from './discover';
export { junitXml } from './junit';
export { formatFailure, summaryText } from './report';
export { appendTest, newCollectionText, type NewTest } from './edit';
export { expectationsFromResult, uniqueName, type CallRecord } from './fromCall';
