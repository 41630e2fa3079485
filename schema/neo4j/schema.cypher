// Constraints and indexes of the conflict-event graph (schema/graph-model.md).
// Applied idempotently by `kg schema apply` (kg.store.neo4j_store.Neo4jStore.apply_schema):
// statements are separated by semicolons; comment lines start with //.

CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE;
CREATE INDEX evidence_fact_id IF NOT EXISTS FOR (n:Evidence) ON (n.fact_id);
CREATE INDEX evidence_article_id IF NOT EXISTS FOR (n:Evidence) ON (n.article_id);
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE INDEX entity_type IF NOT EXISTS FOR (n:Entity) ON (n.type);
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases];

// Fact relationships get one index on `id` per vocabulary relation. Those statements are generated
// from schema/vocabulary.yaml by kg.store.queries.relationship_index_statements() at apply time, so the
// relation list is never copied here.
