import { Table, type TableProps } from '@mantine/core'
import { flexRender, type Row, type Table as TanTable } from '@tanstack/react-table'

/** A TanStack table drawn as a Mantine table: header cells scoped as columns, one row per record. */
export function DataTable<T>({ table, rowProps, ...props }: TableProps & { table: TanTable<T>; rowProps?: (row: Row<T>) => Record<string, unknown> }) {
  return (
    <Table {...props}>
      <Table.Thead>
        {table.getHeaderGroups().map((group) => (
          <Table.Tr key={group.id}>
            {group.headers.map((header) => (
              <Table.Th key={header.id} scope="col">
                {flexRender(header.column.columnDef.header, header.getContext())}
              </Table.Th>
            ))}
          </Table.Tr>
        ))}
      </Table.Thead>
      <Table.Tbody>
        {table.getRowModel().rows.map((row) => (
          <Table.Tr key={row.id} {...rowProps?.(row)}>
            {row.getVisibleCells().map((cell) => (
              <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
