-- No query looks resources up by name across namespaces: every read names the namespace first and
-- uses resources_namespace_name_key. The index only cost every insert an extra index write.
drop index if exists resources_name_idx;
