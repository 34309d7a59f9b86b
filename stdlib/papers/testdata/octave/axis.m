function varargout = axis(varargin)
  % No-op: the golden runs draw nothing.
  varargout = cell(1, nargout);
end
