import { createTheme } from '@mantine/core';
import { DATE_FORMAT, DATE_TIME_FORMAT } from '../shared/format/date-formats';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  // Every date field writes dates as the pages show them (shared/format), whoever adds the next one.
  // Plain objects, not DateInput.extend(): importing @mantine/dates here would put it in the first download.
  components: {
    DateInput: { defaultProps: { valueFormat: DATE_FORMAT } },
    DatePickerInput: { defaultProps: { valueFormat: DATE_FORMAT } },
    DateTimePicker: { defaultProps: { valueFormat: DATE_TIME_FORMAT } },
  },
});
