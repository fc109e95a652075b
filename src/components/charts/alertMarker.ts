/** The vertical line an alert's link asks for (`?at=<ms>`), on the time axis, with its label. */
export function alertMarker(at: number, label: string): object {
  return {
    type: 'line',
    scaleID: 'x',
    value: at,
    borderColor: 'rgba(239, 68, 68, 0.95)',
    borderWidth: 2,
    label: {
      display: true,
      content: label,
      position: 'end',
      backgroundColor: 'rgba(239, 68, 68, 0.9)',
      color: '#fff',
      font: { size: 10 },
      padding: 3,
    },
  };
}
