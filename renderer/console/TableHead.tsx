/** A table's header row from its (already translated) column names; '' leaves a column for buttons. */
export function TableHead({ labels }: { labels: string[] }) {
  return (
    <thead>
      <tr>
        {labels.map((label, i) => (label ? <th key={i}>{label}</th> : <th key={i} />))}
      </tr>
    </thead>
  );
}
