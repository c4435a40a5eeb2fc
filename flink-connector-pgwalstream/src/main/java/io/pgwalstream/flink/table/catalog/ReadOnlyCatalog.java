package io.pgwalstream.flink.table.catalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;

import java.util.List;

/**
 * The part of a catalog that only reads: every change (databases, tables, partitions, functions,
 * statistics) is refused naming what to do instead, and there are no views, partitions, functions
 * or statistics to list.
 */
@Internal
abstract class ReadOnlyCatalog extends AbstractCatalog {

    ReadOnlyCatalog(String name, String defaultDatabase) {
        super(name, defaultDatabase);
    }

    /** The refusal of {@code what}. */
    CatalogException readOnly(String what) {
        return new CatalogException(
                "Catalog '"
                        + getName()
                        + "' is read-only: it shows PostgreSQL's tables and cannot "
                        + what
                        + ". Change the tables in PostgreSQL (the catalog shows them as they are),"
                        + " or create Flink tables in another catalog.");
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists) {
        throw readOnly("create database " + name);
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade) {
        throw readOnly("drop database " + name);
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase newDatabase, boolean ignoreIfNotExists) {
        throw readOnly("alter database " + name);
    }

    @Override
    public List<String> listViews(String databaseName) {
        return List.of();
    }

    @Override
    public void createTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfExists) {
        throw readOnly("create table " + path.getFullName());
    }

    @Override
    public void dropTable(ObjectPath path, boolean ignoreIfNotExists) {
        throw readOnly("drop table " + path.getFullName());
    }

    @Override
    public void alterTable(ObjectPath path, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        throw readOnly("alter table " + path.getFullName());
    }

    @Override
    public void renameTable(ObjectPath path, String newTableName, boolean ignoreIfNotExists) {
        throw readOnly("rename table " + path.getFullName());
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path) {
        return List.of();
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(
            ObjectPath path, CatalogPartitionSpec partitionSpec) {
        return List.of();
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(
            ObjectPath path, List<Expression> filters) {
        return List.of();
    }

    @Override
    public CatalogPartition getPartition(ObjectPath path, CatalogPartitionSpec partitionSpec)
            throws PartitionNotExistException {
        throw new PartitionNotExistException(getName(), path, partitionSpec);
    }

    @Override
    public boolean partitionExists(ObjectPath path, CatalogPartitionSpec partitionSpec) {
        return false;
    }

    @Override
    public void createPartition(
            ObjectPath path,
            CatalogPartitionSpec partitionSpec,
            CatalogPartition partition,
            boolean ignoreIfExists) {
        throw readOnly("create partitions");
    }

    @Override
    public void dropPartition(
            ObjectPath path, CatalogPartitionSpec partitionSpec, boolean ignoreIfNotExists) {
        throw readOnly("drop partitions");
    }

    @Override
    public void alterPartition(
            ObjectPath path,
            CatalogPartitionSpec partitionSpec,
            CatalogPartition newPartition,
            boolean ignoreIfNotExists) {
        throw readOnly("alter partitions");
    }

    @Override
    public List<String> listFunctions(String dbName) {
        return List.of();
    }

    @Override
    public CatalogFunction getFunction(ObjectPath functionPath) throws FunctionNotExistException {
        throw new FunctionNotExistException(getName(), functionPath);
    }

    @Override
    public boolean functionExists(ObjectPath functionPath) {
        return false;
    }

    @Override
    public void createFunction(
            ObjectPath functionPath, CatalogFunction function, boolean ignoreIfExists) {
        throw readOnly("create functions");
    }

    @Override
    public void alterFunction(
            ObjectPath functionPath, CatalogFunction newFunction, boolean ignoreIfNotExists) {
        throw readOnly("alter functions");
    }

    @Override
    public void dropFunction(ObjectPath functionPath, boolean ignoreIfNotExists) {
        throw readOnly("drop functions");
    }

    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath path) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getTableColumnStatistics(ObjectPath path) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(
            ObjectPath path, CatalogPartitionSpec partitionSpec) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getPartitionColumnStatistics(
            ObjectPath path, CatalogPartitionSpec partitionSpec) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public void alterTableStatistics(
            ObjectPath path, CatalogTableStatistics tableStatistics, boolean ignoreIfNotExists) {
        throw readOnly("alter statistics");
    }

    @Override
    public void alterTableColumnStatistics(
            ObjectPath path, CatalogColumnStatistics columnStatistics, boolean ignoreIfNotExists) {
        throw readOnly("alter statistics");
    }

    @Override
    public void alterPartitionStatistics(
            ObjectPath path,
            CatalogPartitionSpec partitionSpec,
            CatalogTableStatistics partitionStatistics,
            boolean ignoreIfNotExists) {
        throw readOnly("alter statistics");
    }

    @Override
    public void alterPartitionColumnStatistics(
            ObjectPath path,
            CatalogPartitionSpec partitionSpec,
            CatalogColumnStatistics columnStatistics,
            boolean ignoreIfNotExists) {
        throw readOnly("alter statistics");
    }
}
